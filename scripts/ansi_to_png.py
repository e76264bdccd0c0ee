#!/usr/bin/env python3
"""Render `tmux capture-pane -e -p` output (text with SGR colour sequences) to a PNG.

    tmux capture-pane -e -p -N -t PANE | scripts/ansi_to_png.py --cols 140 --rows 42 -o out.png

The capture is played into a pyte terminal screen (pip install pyte) of --cols x --rows, one line
per row, and its cells are drawn here. Every cell is drawn at its own grid position, so columns line
up whatever the font's advance is. Box-drawing and block characters are drawn as lines and
rectangles (as terminals do), not taken from the font, so borders join without gaps. East Asian wide
characters (W/F) take two cells. Glyphs DejaVu Sans Mono lacks come from fallback fonts when they
are installed: DejaVu Sans and Symbola for symbols, a CJK font (Noto Sans CJK, WenQuanYi, ...) for
wide characters, Noto Color Emoji for emoji; anything else is drawn as an empty box, as a terminal does.

Beyond what pyte keeps, SGR 2/22 dim, 8/28 hidden, 53/55 overline and 21 underline are drawn, the
colon forms of 38/48 (38:5:n, 38:2::r:g:b) are understood and 58 (underline colour) is ignored.
"""

import argparse
import collections
import glob
import os
import re
import struct
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

try:
    import pyte
except ImportError:
    sys.exit("ansi_to_png: needs pyte (python3 -m pip install pyte)")

# The 16 ANSI colours (Catppuccin Mocha, which goes with the #1e1e2e background).
ANSI16 = [
    (0x45, 0x47, 0x5A), (0xF3, 0x8B, 0xA8), (0xA6, 0xE3, 0xA1), (0xF9, 0xE2, 0xAF),
    (0x89, 0xB4, 0xFA), (0xF5, 0xC2, 0xE7), (0x94, 0xE2, 0xD5), (0xBA, 0xC2, 0xDE),
    (0x58, 0x5B, 0x70), (0xF3, 0x8B, 0xA8), (0xA6, 0xE3, 0xA1), (0xF9, 0xE2, 0xAF),
    (0x89, 0xB4, 0xFA), (0xF5, 0xC2, 0xE7), (0x94, 0xE2, 0xD5), (0xA6, 0xAD, 0xC8),
]


# ---------------------------------------------------------------------------------------------
# Fonts


FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.local/share/fonts"),
             os.path.expanduser("~/.fonts")]


def find_font(*names):
    for name in names:
        for d in FONT_DIRS:
            hits = glob.glob(os.path.join(d, "**", name), recursive=True)
            if hits:
                return sorted(hits)[0]
    return None


def read_cmap(path, index=0):
    """The set of code points a TrueType/OpenType font (or one face of a .ttc) maps to glyphs."""
    with open(path, "rb") as f:
        data = f.read()
    base = 0
    if data[:4] == b"ttcf":
        (count,) = struct.unpack(">I", data[8:12])
        base = struct.unpack(">I", data[12 + 4 * min(index, count - 1):16 + 4 * min(index, count - 1)])[0]
    (num_tables,) = struct.unpack(">H", data[base + 4:base + 6])
    cmap_off = None
    for i in range(num_tables):
        rec = base + 12 + 16 * i
        tag, _, off, _ = struct.unpack(">4sIII", data[rec:rec + 16])
        if tag == b"cmap":
            cmap_off = off
    points = set()
    if cmap_off is None:
        return points
    (n_sub,) = struct.unpack(">H", data[cmap_off + 2:cmap_off + 4])
    subtables = []
    for i in range(n_sub):
        pid, eid, off = struct.unpack(">HHI", data[cmap_off + 4 + 8 * i:cmap_off + 12 + 8 * i])
        if pid == 0 or (pid == 3 and eid in (1, 10)):
            subtables.append(cmap_off + off)
    for st in subtables:
        (fmt,) = struct.unpack(">H", data[st:st + 2])
        if fmt == 4:
            seg2 = struct.unpack(">H", data[st + 6:st + 8])[0]
            ends = struct.unpack(">%dH" % (seg2 // 2), data[st + 14:st + 14 + seg2])
            starts_off = st + 16 + seg2
            starts = struct.unpack(">%dH" % (seg2 // 2), data[starts_off:starts_off + seg2])
            deltas = struct.unpack(">%dh" % (seg2 // 2), data[starts_off + seg2:starts_off + 2 * seg2])
            ro_off = starts_off + 2 * seg2
            ranges = struct.unpack(">%dH" % (seg2 // 2), data[ro_off:ro_off + seg2])
            for i, (s, e) in enumerate(zip(starts, ends)):
                if s == 0xFFFF:
                    continue
                for c in range(s, e + 1):
                    if ranges[i] == 0:
                        g = (c + deltas[i]) & 0xFFFF
                    else:
                        p = ro_off + 2 * i + ranges[i] + 2 * (c - s)
                        g = struct.unpack(">H", data[p:p + 2])[0]
                        if g:
                            g = (g + deltas[i]) & 0xFFFF
                    if g:
                        points.add(c)
        elif fmt == 12:
            (n_groups,) = struct.unpack(">I", data[st + 12:st + 16])
            for i in range(n_groups):
                s, e, g = struct.unpack(">III", data[st + 16 + 12 * i:st + 28 + 12 * i])
                points.update(range(s, e + 1))
    return points


class Face:
    """One font file at the cell size, with the code points it covers."""

    def __init__(self, path, size, index=0, bitmap_size=None):
        self.path = path
        self.index = index
        self.bitmap = bitmap_size is not None  # colour emoji fonts only come in fixed sizes
        self.font = ImageFont.truetype(path, bitmap_size or size, index=index)
        self.cmap = read_cmap(path, index)
        self.sized = {}

    def has(self, ch):
        return all(ord(c) in self.cmap for c in ch if not is_zero_width(c))

    def at(self, size):
        if size not in self.sized:
            self.sized[size] = ImageFont.truetype(self.path, size, index=self.index)
        return self.sized[size]


class Fonts:
    def __init__(self, size, mono=None):
        mono = mono or find_font("DejaVuSansMono.ttf")
        if not mono:
            sys.exit("ansi_to_png: DejaVuSansMono.ttf not found (install fonts-dejavu-core)")
        folder = os.path.dirname(mono)
        stem = os.path.splitext(os.path.basename(mono))[0]

        def variant(suffix):
            p = os.path.join(folder, stem + suffix + ".ttf")
            return p if os.path.exists(p) else None

        self.regular = Face(mono, size)
        bold = variant("-Bold")
        self.bold = Face(bold, size) if bold else self.regular
        oblique = variant("-Oblique")
        self.italic = Face(oblique, size) if oblique else self.regular
        bold_oblique = variant("-BoldOblique")
        self.bold_italic = Face(bold_oblique, size) if bold_oblique else self.bold
        def optional(*names, **kw):
            path = find_font(*names)
            if not path:
                return None
            try:
                return Face(path, size, **kw)
            except OSError:
                return None

        self.sans = optional("DejaVuSans.ttf")
        self.symbols = optional("Symbola.ttf", "Symbola_hint.ttf")
        self.cjk = optional("NotoSansCJK-Regular.ttc", "NotoSansCJKjp-Regular.otf", "NotoSansCJK-Regular.otf",
                            "wqy-zenhei.ttc", "wqy-microhei.ttc", "NanumGothic.ttf", "ipag.ttf",
                            "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "unifont.otf", "unifont.ttf")
        self.emoji = optional("NotoColorEmoji.ttf", bitmap_size=109)
        # Wide characters look for colour emoji and CJK glyphs first, narrow ones for symbols.
        self.wide_fallbacks = [f for f in (self.emoji, self.cjk, self.symbols, self.sans) if f]
        self.narrow_fallbacks = [f for f in (self.sans, self.symbols, self.cjk, self.emoji) if f]
        ascent, descent = self.regular.font.getmetrics()
        self.ascent = ascent
        self.cell_h = ascent + descent
        self.cell_w = round(self.regular.font.getlength("M"))

    def face_for(self, ch, width, bold, italic):
        primary = (self.bold_italic if italic else self.bold) if bold else (self.italic if italic else self.regular)
        if primary.has(ch):
            return primary
        if self.regular.has(ch):
            return self.regular
        for face in (self.wide_fallbacks if width == 2 else self.narrow_fallbacks):
            if face.has(ch):
                return face
        return None


# ---------------------------------------------------------------------------------------------
# Character width


def is_zero_width(c):
    cp = ord(c)
    if cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF) or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    return unicodedata.combining(c) != 0 or unicodedata.category(c) in ("Mn", "Me")


def char_width(c):
    if is_zero_width(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


# ---------------------------------------------------------------------------------------------
# Terminal emulation (pyte)


# pyte names the 16 colours ("red", "brightred", ...) and gives 256 and true colours as hex. Make it
# give this palette's hex for all of them (which also keeps 38;5;0-15 apart from equal cube colours).
HEX16 = ["%02x%02x%02x" % rgb for rgb in ANSI16]
pyte.graphics.FG_BG_256[:16] = HEX16
for _i in range(8):
    pyte.graphics.FG_ANSI[30 + _i] = pyte.graphics.BG_ANSI[40 + _i] = HEX16[_i]
    pyte.graphics.FG_AIXTERM[90 + _i] = pyte.graphics.BG_AIXTERM[100 + _i] = HEX16[8 + _i]

# Cell widths as tmux and the dashboard count them. (wcwidth follows the newest Unicode, where
# e.g. the trigrams ☰ became wide; terminals still give them one cell.)
pyte.screens.wcwidth = char_width

# pyte's cell plus the attributes it does not keep, and the SGR codes that set them.
EXTRA_FIELDS = ("dim", "hidden", "overline")
EXTRA = {2: ("dim", True), 22: ("dim", False), 8: ("hidden", True), 28: ("hidden", False),
         53: ("overline", True), 55: ("overline", False), 21: ("underscore", True)}
Char = collections.namedtuple("Char", pyte.screens.Char._fields + EXTRA_FIELDS,
                              defaults=tuple(pyte.screens.Char._field_defaults.values()) + (False,) * 3)


class Screen(pyte.Screen):
    @property
    def default_char(self):
        return Char(" ")

    def reset(self):
        super().reset()
        self.cursor.attrs = self.default_char

    def select_graphic_rendition(self, *attrs, private=False):
        if private:
            return
        kept, extra, i = [], {}, 0
        while i < len(attrs):
            a, n = attrs[i], 1
            if a in (38, 48, 58):  # 5;n or 2;r;g;b follow
                n = {5: 3, 2: 5}.get(attrs[i + 1] if i + 1 < len(attrs) else None, len(attrs) - i)
            if a == 0:
                extra = dict.fromkeys(EXTRA_FIELDS, False)
            elif a in EXTRA:
                extra[EXTRA[a][0]] = EXTRA[a][1]
            if a != 58:
                kept += attrs[i:i + n]
            i += n
        super().select_graphic_rendition(*kept)
        self.cursor.attrs = self.cursor.attrs._replace(**extra)

    def draw(self, data):
        # pyte drops zero-width characters other than combining marks (and the rest of the text with
        # them); variation selectors and ZWJ join the previous cell, as combining marks do.
        run = ""
        for c in data:
            if char_width(c) > 0:
                run += c
                continue
            super().draw(run)
            run = ""
            line, x = self.buffer[self.cursor.y], self.cursor.x - 1
            if x > 0 and line[x].data == "":
                x -= 1  # the right half of a wide character
            if x >= 0:
                line[x] = line[x]._replace(data=line[x].data + c)
        super().draw(run)


def colon_sgr(m):
    """ESC[38:2::r:g:bm and the like -> ESC[38;2;r;g;bm, which pyte reads; other sub-parameters go."""
    out = []
    for p in m.group(1).split(";"):
        sub = p.split(":")
        if sub[0] in ("38", "48", "58"):
            out.append(";".join(sub[:2] + sub[3:] if sub[1:2] == ["2"] and len(sub) >= 6 else sub))
        else:
            out.append("24" if sub[0] == "4" and sub[1:2] == ["0"] else sub[0])
    return "\x1b[" + ";".join(out) + "m"


def emulate(text, cols, rows):
    """Plays the capture into a pyte screen, one line per row; returns the screen and its columns
    (the widest line when cols is not given)."""
    text = re.sub(r"\x1b\[([0-9;]*:[0-9;:]*)m", colon_sgr, text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # Wide enough for any line, so none wraps; what is beyond cols is not drawn.
    screen = Screen(max([cols or 1] + [2 * len(line) for line in lines]), rows or max(1, len(lines)))
    stream = pyte.Stream(screen)
    widest = 1
    for y, line in enumerate(lines[:screen.lines]):
        screen.cursor_position(y + 1, 1)
        stream.feed(line)
        widest = max(widest, screen.cursor.x)
    return screen, cols or widest


# ---------------------------------------------------------------------------------------------
# Box drawing and block elements


def box_table():
    """U+2500-U+257F -> (up, right, down, left) weights (0 none, 1 light, 2 heavy, 3 double),
    plus the number of dashes and whether the corner is an arc; parsed from the Unicode names."""
    weights = {"LIGHT": 1, "SINGLE": 1, "HEAVY": 2, "DOUBLE": 3}
    dirs = {"UP": ("u",), "DOWN": ("d",), "LEFT": ("l",), "RIGHT": ("r",),
            "VERTICAL": ("u", "d"), "HORIZONTAL": ("l", "r")}
    dash_counts = {"DOUBLE": 2, "TRIPLE": 3, "QUADRUPLE": 4}
    table = {}
    for cp in range(0x2500, 0x2580):
        name = unicodedata.name(chr(cp), "")
        if not name.startswith("BOX DRAWINGS ") or "DIAGONAL" in name:
            continue
        words = name[len("BOX DRAWINGS "):].split()
        dashes = 0
        if "DASH" in words:
            k = words.index("DASH")
            dashes = dash_counts.get(words[k - 1], 2)
            del words[k - 1:k + 1]
        arc = "ARC" in words
        words = [w for w in words if w != "ARC"]
        seg = {"u": 0, "r": 0, "d": 0, "l": 0}
        prefix = None
        pending = []
        for w in words:
            if w in weights:
                if pending:
                    for d in pending:
                        seg[d] = weights[w]
                    pending = []
                else:
                    prefix = weights[w]
            elif w in dirs:
                if prefix is not None:
                    for d in dirs[w]:
                        seg[d] = prefix
                else:
                    pending.extend(dirs[w])
        for d in pending:
            seg[d] = prefix or 1
        table[chr(cp)] = ((seg["u"], seg["r"], seg["d"], seg["l"]), dashes, arc)
    return table


BOX = box_table()


def block_rects(c, w, h):
    """Block elements U+2580-U+259F as rectangles in cell pixels (None if not a block)."""
    cp = ord(c)
    e8w = lambda n: round(w * n / 8)  # noqa: E731
    e8h = lambda n: round(h * n / 8)  # noqa: E731
    if cp == 0x2580:
        return [(0, 0, w, e8h(4))]
    if 0x2581 <= cp <= 0x2588:
        n = cp - 0x2580
        return [(0, h - e8h(n), w, h)]
    if 0x2589 <= cp <= 0x258F:
        n = 8 - (cp - 0x2588)
        return [(0, 0, e8w(n), h)]
    if cp == 0x2590:
        return [(e8w(4), 0, w, h)]
    if cp == 0x2594:
        return [(0, 0, w, e8h(1))]
    if cp == 0x2595:
        return [(w - e8w(1), 0, w, h)]
    quads = {0x2596: "3", 0x2597: "4", 0x2598: "1", 0x2599: "134", 0x259A: "14", 0x259B: "123",
             0x259C: "124", 0x259D: "2", 0x259E: "23", 0x259F: "234"}
    if cp in quads:
        hw, hh = e8w(4), e8h(4)
        boxes = {"1": (0, 0, hw, hh), "2": (hw, 0, w, hh), "3": (0, hh, hw, h), "4": (hw, hh, w, h)}
        return [boxes[q] for q in quads[cp]]
    return None


SHADES = {"\u2591": 0.25, "\u2592": 0.5, "\u2593": 0.75}


class BoxPainter:
    """Draws box-drawing characters into an 'L' mask, supersampled then reduced for smooth arcs."""

    SS = 4

    def __init__(self, cell_w, cell_h):
        self.w, self.h = cell_w, cell_h
        self.light = max(1, round(cell_h / 20))
        self.heavy = max(self.light + 1, round(self.light * 2.2))
        self.cache = {}

    def mask(self, c):
        if c in self.cache:
            return self.cache[c]
        (u, r, d, l), dashes, arc = BOX[c]
        S = self.SS
        w, h = self.w, self.h
        img = Image.new("L", (w * S, h * S), 0)
        dr = ImageDraw.Draw(img)
        cx, cy = w // 2, h // 2  # line centre (pixel column/row the light line occupies)

        def thick(wt):
            return self.heavy if wt == 2 else self.light

        def hband(x0, x1, y, t):
            """Pixels x0..x1-1 of a horizontal stroke t pixels thick centred on row y."""
            top = y - (t - 1) // 2
            if x1 > x0:
                dr.rectangle([x0 * S, top * S, x1 * S - 1, (top + t) * S - 1], fill=255)

        def vband(y0, y1, x, t):
            left = x - (t - 1) // 2
            if y1 > y0:
                dr.rectangle([left * S, y0 * S, (left + t) * S - 1, y1 * S - 1], fill=255)

        if arc:
            t = self.light
            rad = min(w, h) // 2
            # A quarter circle of radius rad centred on the inner corner joins the middle of one
            # edge to the middle of the other; straight stubs run on to the cell edges.
            ox = cx + (rad if r else -rad)
            oy = cy + (rad if d else -rad)
            o = (t - 1) // 2
            bbox = [(ox - rad - o) * S, (oy - rad - o) * S,
                    (ox + rad - o + t) * S - 1, (oy + rad - o + t) * S - 1]
            start = {(1, 1): 180, (1, 0): 270, (0, 0): 0, (0, 1): 90}[(1 if d else 0, 1 if r else 0)]
            dr.arc(bbox, start, start + 90, fill=255, width=t * S)
            if r:
                hband(ox, w, cy, t)
            else:
                hband(0, ox + 1, cy, t)
            if d:
                vband(oy, h, cx, t)
            else:
                vband(0, oy + 1, cx, t)
        elif dashes:
            t = thick(max(u, r, d, l))
            if l or r:
                seg = w / dashes
                for k in range(dashes):
                    hband(round(k * seg), max(round(k * seg) + 1, round((k + 0.6) * seg)), cy, t)
            else:
                seg = h / dashes
                for k in range(dashes):
                    vband(round(k * seg), max(round(k * seg) + 1, round((k + 0.6) * seg)), cx, t)
        else:
            gap = self.light + 1  # distance from the centre line to each stroke of a double line
            dbl_v = 3 in (u, d)
            dbl_h = 3 in (l, r)
            # Extent of the single (light/heavy) strokes through the centre, for square joins.
            tv = max([thick(x) for x in (u, d) if x in (1, 2)] or [0])
            th = max([thick(x) for x in (l, r) if x in (1, 2)] or [0])
            v_lo, v_hi = (cx - (tv - 1) // 2, cx - (tv - 1) // 2 + tv) if tv else (cx, cx + 1)
            h_lo, h_hi = (cy - (th - 1) // 2, cy - (th - 1) // 2 + th) if th else (cy, cy + 1)
            for side, wt in (("l", l), ("r", r)):
                if wt == 3:
                    for sgn in (-1, 1):
                        y = cy + sgn * gap
                        if dbl_v:
                            near = (u == 3) if sgn < 0 else (d == 3)
                            x_end = cx - gap + 1 if near else cx + gap + 1
                            x_start = cx + gap if near else cx - gap
                        else:
                            x_end, x_start = v_hi, v_lo
                        if side == "l":
                            hband(0, x_end, y, self.light)
                        else:
                            hband(x_start, w, y, self.light)
                elif wt:
                    if dbl_v:
                        x_end, x_start = cx - gap + 1, cx + gap
                    else:
                        x_end, x_start = v_hi, v_lo
                    if side == "l":
                        hband(0, x_end, cy, thick(wt))
                    else:
                        hband(x_start, w, cy, thick(wt))
            for side, wt in (("u", u), ("d", d)):
                if wt == 3:
                    for sgn in (-1, 1):
                        x = cx + sgn * gap
                        if dbl_h:
                            near = (l == 3) if sgn < 0 else (r == 3)
                            y_end = cy - gap + 1 if near else cy + gap + 1
                            y_start = cy + gap if near else cy - gap
                        else:
                            y_end, y_start = h_hi, h_lo
                        if side == "u":
                            vband(0, y_end, x, self.light)
                        else:
                            vband(y_start, h, x, self.light)
                elif wt:
                    through = u in (1, 2) and d in (1, 2)
                    if dbl_h and not through:
                        y_end, y_start = cy - gap + 1, cy + gap
                    elif dbl_h:
                        y_end, y_start = h, 0
                    else:
                        y_end, y_start = h_hi, h_lo
                    if side == "u":
                        vband(0, y_end, cx, thick(wt))
                    else:
                        vband(y_start, h, cx, thick(wt))
        small = img.resize((w, h), Image.BOX)
        self.cache[c] = small
        return small


# ---------------------------------------------------------------------------------------------
# Rendering


def blend(a, b, t):
    return tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b))


def cells(screen, cols):
    """(row, column, cell, width in cells) of every cell but the right halves of wide characters."""
    for r in range(screen.lines):
        line = screen.buffer[r]
        for c in range(cols):
            cell = line[c]
            if cell.data and char_width(cell.data[0]) == 2 and line[c + 1].data == "":
                yield r, c, (cell if c + 1 < cols else cell._replace(data=" ")), 2 if c + 1 < cols else 1
            elif cell.data:
                yield r, c, cell, 1


def render(screen, cols, fonts, pad, bg_default, fg_default):
    cw, ch = fonts.cell_w, fonts.cell_h
    rows = screen.lines
    img = Image.new("RGB", (cols * cw + 2 * pad, rows * ch + 2 * pad), bg_default)
    draw = ImageDraw.Draw(img)
    boxes = BoxPainter(cw, ch)

    def colours(cell):
        fg = fg_default if cell.fg == "default" else hex_colour(cell.fg)
        bg = bg_default if cell.bg == "default" else hex_colour(cell.bg)
        if cell.reverse:
            fg, bg = bg, fg
        if cell.dim:
            fg = blend(fg, bg, 0.45)
        return fg, bg

    # Backgrounds first, so glyphs that overhang their cell are not cut by the next cell.
    for r, c, cell, width in cells(screen, cols):
        _, bg = colours(cell)
        if bg != bg_default:
            x, y = pad + c * cw, pad + r * ch
            draw.rectangle([x, y, x + cw * width - 1, y + ch - 1], fill=bg)

    for r, c, cell, width in cells(screen, cols):
        fg, bg = colours(cell)
        x, y = pad + c * cw, pad + r * ch
        w = cw * width
        if not cell.hidden and cell.data != " ":
            draw_glyph(img, draw, fonts, boxes, cell.data, x, y, w, ch, fg, bg, cell)
        if cell.underscore:
            uy = y + fonts.ascent + max(1, ch // 12)
            draw.rectangle([x, uy, x + w - 1, uy + max(0, ch // 20 - 1)], fill=fg)
        if cell.strikethrough:
            sy = y + fonts.ascent - round(ch * 0.28)
            draw.rectangle([x, sy, x + w - 1, sy], fill=fg)
        if cell.overline:
            draw.rectangle([x, y, x + w - 1, y], fill=fg)
    return img


def draw_glyph(img, draw, fonts, boxes, text, x, y, w, h, fg, bg, st):
    c = text[0]
    if c in BOX and len(text) == 1:
        img.paste(Image.new("RGB", (w, h), fg), (x, y), boxes.mask(c))
        return
    rects = block_rects(c, w, h)
    if rects is not None:
        for (x0, y0, x1, y1) in rects:
            if x1 > x0 and y1 > y0:
                draw.rectangle([x + x0, y + y0, x + x1 - 1, y + y1 - 1], fill=fg)
        return
    if c in SHADES:
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=blend(bg, fg, SHADES[c]))
        return
    if c == "\u2588":
        draw.rectangle([x, y, x + w - 1, y + h - 1], fill=fg)
        return
    face = fonts.face_for(text, 2 if w > fonts.cell_w else 1, st.bold, st.italics)
    if face is None:
        # No font has it: an empty box, like a terminal's tofu.
        m = max(1, w // 8)
        draw.rectangle([x + m, y + h // 6, x + w - 1 - m, y + h - 1 - h // 6], outline=fg)
        return
    if face.bitmap:
        glyph = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), text, font=face.font, embedded_color=True)
        box = glyph.getbbox()
        if box:
            glyph = glyph.crop(box)
            scale = min((w - 2) / glyph.width, (h - 2) / glyph.height)
            glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))),
                                 Image.LANCZOS)
            img.paste(glyph, (x + (w - glyph.width) // 2, y + (h - glyph.height) // 2), glyph)
        return
    baseline = y + fonts.ascent
    if face is fonts.regular or face in (fonts.bold, fonts.italic, fonts.bold_italic):
        draw.text((x, baseline), text, font=face.font, fill=fg, anchor="ls")
        return
    # A proportional fallback glyph: centre its ink on its cell(s). Like a terminal, let it spill a
    # little into the neighbours, but shrink one that is much wider than its cells.
    font = face.font
    left, _, right, _ = font.getbbox(text, anchor="ls")
    limit = w * 1.35 if w <= fonts.cell_w else w + 1
    if right - left > limit:
        font = face.at(max(6, int(face.font.size * limit / (right - left))))
        left, _, right, _ = font.getbbox(text, anchor="ls")
    draw.text((x + (w - (right - left)) / 2 - left, baseline), text, font=font, fill=fg, anchor="ls")


def hex_colour(s):
    s = s.lstrip("#")
    if len(s) == 3:
        s = "".join(ch * 2 for ch in s)
    return tuple(int(s[i:i + 2], 16) for i in (0, 2, 4))


def main():
    ap = argparse.ArgumentParser(description="Render tmux capture-pane -e output to a PNG.")
    ap.add_argument("input", nargs="?", help="captured text (default: stdin)")
    ap.add_argument("-o", "--output", required=True, help="PNG file to write")
    ap.add_argument("--cols", type=int, help="columns (default: the widest line)")
    ap.add_argument("--rows", type=int, help="rows (default: the number of lines)")
    ap.add_argument("--font-size", type=int, default=16)
    ap.add_argument("--font", help="monospace TTF (default: DejaVu Sans Mono)")
    ap.add_argument("--padding", type=int, default=12)
    ap.add_argument("--bg", default="#1e1e2e", help="default background")
    ap.add_argument("--fg", default="#cdd6f4", help="default foreground")
    a = ap.parse_args()
    if a.input:
        with open(a.input, encoding="utf-8", errors="replace") as f:
            text = f.read()
    else:
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    screen, cols = emulate(text, a.cols, a.rows)
    fonts = Fonts(a.font_size, a.font)
    img = render(screen, cols, fonts, a.padding, hex_colour(a.bg), hex_colour(a.fg))
    img.save(a.output, optimize=True)


if __name__ == "__main__":
    main()
