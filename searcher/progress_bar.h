/*
 * progress_bar.h — the bar the long-running modes of dicta-search draw on a
 * terminal (--batch, --terms): one look for both.
 */
#ifndef DICTA_PROGRESS_BAR_H
#define DICTA_PROGRESS_BAR_H

#include <stddef.h>

#define PROGRESS_BAR_WIDTH 30

/* Fill bar with done/n of PROGRESS_BAR_WIDTH '#', the rest '.', and a NUL;
 * n == 0 counts as complete. */
void progress_bar(char bar[PROGRESS_BAR_WIDTH + 1], size_t done, size_t n);

#endif
