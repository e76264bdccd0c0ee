#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncurses.h>
// Swift 6 rejects ncurses' mutable globals and does not import attribute macros:
// expose them through accessors so the Terminal module stays concurrency-clean.
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_italic(void) { return A_ITALIC; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_err(void) { return ERR; }

// --- Added for the Terminal module -------------------------------------------------------
#include <stdio.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <unistd.h>
#include <wchar.h>

static inline WINDOW *cn_curscr(void) { return curscr; }
static inline int cn_ok(void) { return OK; }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_key_f(int n) { return KEY_F(n); }
static inline int cn_escdelay(void) { return ESCDELAY; }

// newterm instead of initscr: it returns NULL instead of exiting the process on failure.
static inline SCREEN *cn_newterm(void) { return newterm(NULL, stdout, stdin); }

// The window size from the tty (after SIGWINCH); -1 when unknown.
static inline int cn_winsize(int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

// Direct (24-bit) colour needs the terminfo "RGB" capability, whatever COLORTERM says.
static inline int cn_has_rgb(void) { return tigetflag("RGB") > 0; }

// A terminfo string capability, or NULL when absent/cancelled.
static inline const char *cn_tigetstr(const char *cap) {
    char *s = tigetstr(cap);
    return (s == NULL || s == (char *)-1) ? NULL : s;
}

// setcchar with an extended (int) pair number: ncurses reads it through `opts`.
static inline int cn_setcchar(cchar_t *c, const wchar_t *wch, attr_t attrs, int pair) {
    return setcchar(c, wch, attrs, (short)(pair <= 32767 ? pair : 0), &pair);
}

static inline int cn_put(int y, int x, const cchar_t *c) { return mvwadd_wch(stdscr, y, x, c); }

#include <langinfo.h>
#include <string.h>
// wcwidth is hidden from Swift's Glibc import without _XOPEN_SOURCE; ncurses measures cells with it.
int wcwidth(wchar_t c);
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }
static inline void cn_flush_stdout(void) { fflush(stdout); }
static inline int cn_codeset_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0 || strcmp(cs, "UTF8") == 0);
}


// Moves the cells of rows top..top+height-1, columns x..x+width-1 of `win` up by `by` rows (down when
// negative), as a terminal does when it scrolls that region; the rows left behind become plain blanks.
// Used on curscr (what the terminal shows) and stdscr after the app scrolled a region itself.
static inline void cn_shift_band(WINDOW *win, int top, int height, int x, int width, int by) {
    if (width <= 0 || height <= 0 || by == 0 || width > 4096) return;
    cchar_t row[4097];
    cchar_t blank;
    wchar_t sp[2] = {L' ', 0};
    setcchar(&blank, sp, A_NORMAL, 0, NULL);
    for (int i = 0; i < height; i++) {
        int y = by > 0 ? top + i : top + height - 1 - i;
        int from = y + by;
        if (from >= top && from < top + height) {
            int n = mvwin_wchnstr(win, from, x, row, width) == ERR ? 0 : width;
            if (n > 0) { mvwadd_wchnstr(win, y, x, row, -1); continue; }
        }
        for (int c = 0; c < width; c++) mvwadd_wchnstr(win, y, x + c, &blank, 1);
    }
}
