/*
 * terms_cli.h — the --terms mode of dicta-search (terms_cli.c), a search
 * term report, which main.c enters when --terms is among the arguments.
 */
#ifndef DICTA_TERMS_CLI_H
#define DICTA_TERMS_CLI_H

/* Parse the whole command line as a search term report's, run it, and
 * return the exit status. */
int terms_main(int argc, char **argv);

#endif
