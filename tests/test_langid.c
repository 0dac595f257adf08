/*
 * test_langid.c — guessing the language of untagged documents.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "langid.h"

static const struct {
	const char *text;
	const char *lang; /* NULL: no guess */
} rows[] = {
	{"The court of appeals held that the extradition treaty did not bar the "
	 "surrender of the fugitive, and that the magistrate was right to certify "
	 "the charges for which the government had shown probable cause.", "en"},
	{"La Sala de lo Penal de la Audiencia Nacional declara procedente la "
	 "extradición del reclamado a México por los delitos de tortura y "
	 "peculado, con las garantías que se establecen en esta resolución.", "es"},
	{"Das Gericht hat die Auslieferung für zulässig erklärt, weil die Tat "
	 "auch nach deutschem Recht strafbar ist und die Zusicherungen des "
	 "ersuchenden Staates ausreichen, um die Haftbedingungen zu prüfen.", "de"},
	{"La chambre de l'instruction a émis un avis favorable à l'extradition "
	 "de la personne réclamée, après avoir vérifié que les faits sont "
	 "punissables en droit français et que la prescription n'est pas acquise.", "fr"},
	{"O tribunal decidiu que a extradição do cidadão não viola a constituição, "
	 "uma vez que o crime foi cometido no estrangeiro e não há risco de "
	 "pena de morte para o extraditando no país que o requer.", "pt"},
	/* Too little text to tell. */
	{"Pegasus spyware", NULL},
	{"", NULL},
	{"12 34 56 78 1-207.39 23-1732", NULL},
};

Test(langid, guesses_the_language_of_a_paragraph)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *g = langid_guess(rows[i].text, strlen(rows[i].text));
		if (rows[i].lang) {
			cr_assert_not_null(g, "row %zu: no guess", i);
			cr_expect_str_eq(g, rows[i].lang, "row %zu", i);
		} else {
			cr_expect_null(g, "row %zu guessed %s", i, g);
		}
	}
}
