#ifndef LAYABAUTH_CNCURSES_SHIM_H
#define LAYABAUTH_CNCURSES_SHIM_H

// The wide-character declarations of ncurses are only visible with these set.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// COLOR_PAIR and the A_* attributes are function-like or composite macros, which Swift cannot import.
static inline int layab_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline unsigned int layab_attr_bold(void) { return A_BOLD; }
static inline unsigned int layab_attr_dim(void) { return A_DIM; }
static inline unsigned int layab_attr_underline(void) { return A_UNDERLINE; }
static inline unsigned int layab_attr_reverse(void) { return A_REVERSE; }

// wcwidth is declared only under _XOPEN_SOURCE, which the C library module may not have seen.
extern int wcwidth(wchar_t c);
static inline int layab_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

// stdscr is a macro over a global in some builds.
static inline WINDOW *layab_stdscr(void) { return stdscr; }

// stdin, stdout and COLORS are mutable C globals, which Swift 6 refuses to touch directly.
static inline SCREEN *layab_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int layab_colors(void) { return COLORS; }

// getmaxy/getmaxx are macros.
static inline int layab_lines(void) { return getmaxy(stdscr); }
static inline int layab_columns(void) { return getmaxx(stdscr); }

#endif
