/*
 * progress_bar.c — the terminal progress bar of dicta-search's batch and
 * search term report modes (progress_bar.h).
 */
#include "progress_bar.h"

void progress_bar(char bar[PROGRESS_BAR_WIDTH + 1], size_t done, size_t n)
{
	size_t fill = n ? done * PROGRESS_BAR_WIDTH / n : PROGRESS_BAR_WIDTH;
	for (size_t i = 0; i < PROGRESS_BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[PROGRESS_BAR_WIDTH] = '\0';
}
