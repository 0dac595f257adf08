/*
 * batch_cli.h — the --batch mode of dicta-search (batch_cli.c), which
 * main.c enters when --batch is among the arguments.
 */
#ifndef DICTA_BATCH_CLI_H
#define DICTA_BATCH_CLI_H

/* Parse the whole command line as a batch run's, run it, and return the
 * exit status. */
int batch_main(int argc, char **argv);

#endif
