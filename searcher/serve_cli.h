/*
 * serve_cli.h — the --serve mode of dicta-search (serve_cli.c), which
 * main.c enters when --serve is among the arguments.
 */
#ifndef DICTA_SERVE_CLI_H
#define DICTA_SERVE_CLI_H

/* Parse the whole command line as a server's, run the server until SIGTERM
 * or SIGINT, and return the exit status. */
int serve_main(int argc, char **argv);

#endif
