#!/usr/bin/env python3
"""Check that every sr-Cyrl text in a curriculum XML file is the mechanical
transliteration of its sr-Latn sibling.

Usage:
    scripts/translit-check.py FILE...          report mismatches (exit 1 if any)
    scripts/translit-check.py --fix FILE...    rewrite each sr-Cyrl text from
                                               the sr-Latn sibling in place
    scripts/translit-check.py --text 'Ključ'   print the transliteration

Pairing: for every element, its children are grouped by element name; within
a group the n-th child with xml:lang="sr-Latn" is paired with the n-th child
with xml:lang="sr-Cyrl". A sr-Latn text without a sr-Cyrl sibling (or the
reverse) is reported as a mismatch too.

Rules (Serbian Latin -> Cyrillic, one letter or digraph at a time):
    a б c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž
    а б ц ч ћ д џ  ђ е ф г х и ј к л љ  м н њ  о п р с ш т у в з ж
Uppercase likewise: Lj/LJ -> Љ, Nj/NJ -> Њ, Dž/DŽ -> Џ. Digraphs are always
digraphs (so sr-Latn text must avoid words such as "injekcija" where n+j is
not one letter). Every other character (digits, punctuation, spaces, q w x y)
is kept as it is. Text is NFC-normalized first.

--fix works on the raw file text so comments and layout survive; it expects
each sr-Cyrl element to follow its sr-Latn sibling (only whitespace between),
which is the order curriculum files use (bs, hr, sr-Latn, sr-Cyrl, en).
"""

import argparse
import html
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DIGRAPHS = {
    "lj": "љ", "Lj": "Љ", "LJ": "Љ",
    "nj": "њ", "Nj": "Њ", "NJ": "Њ",
    "dž": "џ", "Dž": "Џ", "DŽ": "Џ",
}

LETTERS = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ",
    "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к",
    "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
    "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
LETTERS.update({k.upper(): v.upper() for k, v in list(LETTERS.items())})

FOREIGN = set("qwxyQWXY")


def transliterate(latin: str) -> str:
    s = unicodedata.normalize("NFC", latin)
    out = []
    i = 0
    while i < len(s):
        pair = s[i:i + 2]
        if pair in DIGRAPHS:
            out.append(DIGRAPHS[pair])
            i += 2
            continue
        ch = s[i]
        out.append(LETTERS.get(ch, ch))
        i += 1
    return "".join(out)


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def element_text(el: ET.Element) -> str:
    return "".join(el.itertext())


def check_file(path: str) -> int:
    """Print problems in one file; return the number of mismatches."""
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        print(f"{path}: cannot parse: {e}", file=sys.stderr)
        return 1
    mismatches = 0
    pairs = 0

    def where(el: ET.Element, parent_path: str) -> str:
        name = parent_path + "/" + local_name(el.tag)
        for attr in ("id", "key"):
            if el.get(attr) is not None:
                return name + f"[@{attr}='{el.get(attr)}']"
        return name

    def walk(parent: ET.Element, path: str) -> None:
        nonlocal mismatches, pairs
        groups = {}
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            lang = child.get(XML_LANG)
            if lang in ("sr-Latn", "sr-Cyrl"):
                groups.setdefault(child.tag, {"sr-Latn": [], "sr-Cyrl": []})[lang].append(child)
        for tag, g in groups.items():
            latn, cyrl = g["sr-Latn"], g["sr-Cyrl"]
            name = local_name(tag)
            for n in range(max(len(latn), len(cyrl))):
                if n >= len(cyrl):
                    print(f"{path}/{name}: sr-Latn text #{n + 1} has no sr-Cyrl sibling")
                    mismatches += 1
                    continue
                if n >= len(latn):
                    print(f"{path}/{name}: sr-Cyrl text #{n + 1} has no sr-Latn sibling")
                    mismatches += 1
                    continue
                pairs += 1
                lt, ct = element_text(latn[n]), element_text(cyrl[n])
                if unicodedata.normalize("NFC", lt) != lt:
                    print(f"warning: {path}/{name}: sr-Latn text is not NFC-normalized", file=sys.stderr)
                foreign = sorted(set(lt) & FOREIGN)
                if foreign:
                    print(f"warning: {path}/{name}: sr-Latn text contains {''.join(foreign)} "
                          f"(kept unchanged in Cyrillic): {lt!r}", file=sys.stderr)
                expected = transliterate(lt)
                if ct != expected:
                    mismatches += 1
                    print(f"{path}/{name}: sr-Cyrl does not match sr-Latn")
                    print(f"    sr-Latn:  {lt}")
                    print(f"    sr-Cyrl:  {ct}")
                    print(f"    expected: {expected}")
        for child in parent:
            if isinstance(child.tag, str):
                walk(child, where(child, path))

    root = tree.getroot()
    walk(root, "/" + local_name(root.tag))
    print(f"{path}: {pairs} sr-Latn/sr-Cyrl pairs, {mismatches} mismatches")
    return mismatches


PAIR_RE = re.compile(
    r'(?P<lopen><(?P<tag>[\w:.-]+)\b[^>]*\bxml:lang\s*=\s*["\']sr-Latn["\'][^>]*>)'
    r'(?P<ltext>[^<]*)'
    r'(?P<lclose></(?P=tag)\s*>)'
    r'(?P<ws>\s*)'
    r'(?P<copen><(?P=tag)\b[^>]*\bxml:lang\s*=\s*["\']sr-Cyrl["\'][^>]*>)'
    r'(?P<ctext>[^<]*)'
    r'(?P<cclose></(?P=tag)\s*>)'
)


def fix_file(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        src = f.read()
    changed = 0

    def repl(m: re.Match) -> str:
        nonlocal changed
        latin = html.unescape(m.group("ltext"))
        cyr = html.escape(transliterate(latin), quote=False)
        if cyr != m.group("ctext"):
            changed += 1
        return (m.group("lopen") + m.group("ltext") + m.group("lclose") + m.group("ws")
                + m.group("copen") + cyr + m.group("cclose"))

    out = PAIR_RE.sub(repl, src)
    if out != src:
        with open(path, "w", encoding="utf-8") as f:
            f.write(out)
    print(f"{path}: rewrote {changed} sr-Cyrl texts")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fix", action="store_true", help="rewrite sr-Cyrl texts from sr-Latn in place")
    ap.add_argument("--text", help="print the transliteration of TEXT and exit")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.text is not None:
        print(transliterate(args.text))
        return 0
    if not args.files:
        ap.error("no files given")
    total = 0
    for path in args.files:
        if args.fix:
            fix_file(path)
        total += check_file(path)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
