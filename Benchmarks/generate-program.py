#!/usr/bin/env python3
"""Generate a large, valid curriculum program for benchmarks.

Usage:
    Benchmarks/generate-program.py --modules 1000 --out FILE

The output is deterministic (the same arguments give the same bytes) and
follows Curriculum/schema/curriculum-1.xsd and the loader's extra rules:

* root <program> in urn:obuka:curriculum:1 with id, version, year,
  serial-code and valid-years; titles and goals in bs, hr, sr-Latn, sr-Cyrl
  and en (in that order); provider department="EIMS"; a completion rule;
* modules "M1".."MN" with order 1..N, hours, five titles, three topics and
  two outcomes (ids unique across the program: "Mn.T1", "Mn.O1", ...);
* one assessment per module ("Mn-A") with pass <= max; the weights of all
  assessments sum to exactly 1, so N must divide a power of ten into a plain
  decimal (1, 2, 4, 5, 8, 10, ..., 1000, ...): every weight is 1/N written
  in plain notation, e.g. "0.001" for 1,000 modules.

Every sr-Cyrl text is the mechanical transliteration of the sr-Latn text
before it (the rules of scripts/translit-check.py).
"""

import argparse
import sys
import unicodedata
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "urn:obuka:curriculum:1"

# One transliteration for the project: the checker's (scripts/translit-check.py), loaded by path.
import importlib.util as _importlib_util
import pathlib as _pathlib

_spec = _importlib_util.spec_from_file_location(
    "translit_check", _pathlib.Path(__file__).resolve().parent.parent / "scripts" / "translit-check.py")
_translit = _importlib_util.module_from_spec(_spec)
_spec.loader.exec_module(_translit)


def cyrillic(latin: str) -> str:
    return _translit.transliterate(unicodedata.normalize("NFC", latin))


# (bs, hr, sr-Latn, en); sr-Cyrl is derived from sr-Latn.
THEMES = [
    ("Migracije i razvoj", "Migracije i razvoj", "Migracije i razvoj", "Migration and development"),
    ("Međusektorska saradnja", "Međusektorska suradnja", "Međusektorska saradnja", "Intersectoral cooperation"),
    ("Usluge dijaspori", "Usluge dijaspori", "Usluge dijaspori", "Services for the diaspora"),
    ("Upravljanje projektima", "Upravljanje projektima", "Upravljanje projektima", "Project management"),
    ("Evropske integracije", "Europske integracije", "Evropske integracije", "European integration"),
    ("Javne finansije", "Javne financije", "Javne finansije", "Public finance"),
    ("Digitalne usluge uprave", "Digitalne usluge uprave", "Digitalne usluge uprave", "Digital public services"),
    ("Komunikacija s građanima", "Komunikacija s građanima", "Komunikacija sa građanima", "Communication with citizens"),
]

TOPICS = [
    ("Pravni okvir i nadležnosti", "Pravni okvir i nadležnosti", "Pravni okvir i nadležnosti",
     "Legal framework and competences"),
    ("Primjeri dobre prakse iz regiona", "Primjeri dobre prakse iz regije", "Primjeri dobre prakse iz regiona",
     "Examples of good practice from the region"),
    ("Planiranje, praćenje i izvještavanje", "Planiranje, praćenje i izvješćivanje", "Planiranje, praćenje i izvještavanje",
     "Planning, monitoring and reporting"),
    ("Saradnja s udruženjima i institucijama", "Suradnja s udrugama i institucijama", "Saradnja sa udruženjima i institucijama",
     "Cooperation with associations and institutions"),
    ("Izvori finansiranja i apliciranje", "Izvori financiranja i prijave", "Izvori finansiranja i apliciranje",
     "Funding sources and applications"),
]

OUTCOMES = [
    ("Polaznici objašnjavaju osnovne pojmove teme i njihov značaj za Brčko distrikt BiH.",
     "Polaznici objašnjavaju osnovne pojmove teme i njihovu važnost za Brčko distrikt BiH.",
     "Polaznici objašnjavaju osnovne pojmove teme i njihov značaj za Brčko distrikt BiH.",
     "Trainees explain the basic notions of the topic and their significance for Brčko District BiH."),
    ("Polaznici primjenjuju naučeno na primjeru iz vlastitog odjeljenja.",
     "Polaznici primjenjuju naučeno na primjeru iz vlastitog odjela.",
     "Polaznici primjenjuju naučeno na primjeru iz sopstvenog odjeljenja.",
     "Trainees apply what they learnt to an example from their own department."),
    ("Polaznici predlažu mjere i prate njihovu provedbu.",
     "Polaznici predlažu mjere i prate njihovu provedbu.",
     "Polaznici predlažu mjere i prate njihovo sprovođenje.",
     "Trainees propose measures and monitor their implementation."),
]

KINDS = ["test", "project", "oral", "practical", "participation"]
HOURS = ["8", "4", "6", "2.5", "12"]


def localized(indent: str, name: str, bs: str, hr: str, sr_latn: str, en: str) -> list:
    texts = [("bs", bs), ("hr", hr), ("sr-Latn", sr_latn), ("sr-Cyrl", cyrillic(sr_latn)), ("en", en)]
    return [f'{indent}<{name} xml:lang="{lang}">{escape(text)}</{name}>' for lang, text in texts]


def weight_for(modules: int) -> str:
    weight = Decimal(1) / Decimal(modules)
    if weight * modules != 1 or weight.as_tuple().exponent < -20:
        sys.exit(f"generate-program.py: 1/{modules} is not a short plain decimal; "
                 "choose a module count such as 1, 2, 4, 5, 8, 10, 100 or 1000")
    text = format(weight.normalize(), "f")
    return text


def program(modules: int) -> str:
    weight = weight_for(modules)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Generated by Benchmarks/generate-program.py with {modules} modules: benchmark data, not a real program. -->",
        f'<program xmlns="{NAMESPACE}" id="benchmark-{modules}" version="1" year="2024"',
        '         serial-code="BEN" valid-years="5">',
    ]
    lines += localized("  ", "title",
                       f"Sintetički program za mjerenje brzine ({modules} modula)",
                       f"Sintetički program za mjerenje brzine ({modules} modula)",
                       f"Sintetički program za mjerenje brzine ({modules} modula)",
                       f"Synthetic program for speed measurement ({modules} modules)")
    lines.append("")
    lines.append('  <provider department="EIMS"/>')
    lines.append("")
    lines += localized("  ", "goal",
                       "Provjera brzine učitavanja i provjere velikih programa obuke.",
                       "Provjera brzine učitavanja i provjere velikih programa izobrazbe.",
                       "Provjera brzine učitavanja i provjere velikih programa obuke.",
                       "Checking how fast large training programs are loaded and validated.")
    lines.append("")
    lines.append('  <completion attendance-percent="80" excused="absent" final-pass="60"/>')

    for n in range(1, modules + 1):
        theme = THEMES[(n - 1) % len(THEMES)]
        lines.append("")
        lines.append(f'  <module id="M{n}" order="{n}" hours="{HOURS[(n - 1) % len(HOURS)]}">')
        lines += localized("    ", "title",
                           f"{theme[0]}, dio {n}", f"{theme[1]}, dio {n}", f"{theme[2]}, dio {n}",
                           f"{theme[3]}, part {n}")
        for k in range(1, 4):
            topic = TOPICS[(n + k) % len(TOPICS)]
            lines.append(f'    <topic id="M{n}.T{k}">')
            lines += localized("      ", "text", *topic)
            lines.append("    </topic>")
        for k in range(1, 3):
            outcome = OUTCOMES[(n + k) % len(OUTCOMES)]
            lines.append(f'    <outcome id="M{n}.O{k}">')
            lines += localized("      ", "text", *outcome)
            lines.append("    </outcome>")
        kind = KINDS[(n - 1) % len(KINDS)]
        attempts = (n - 1) % 3 + 1
        lines.append(f'    <assessment id="M{n}-A" kind="{kind}" max="100" pass="60" weight={quoteattr(weight)}'
                     f' attempts="{attempts}">')
        lines += localized("      ", "title",
                           f"Provjera znanja iz Modula {n}", f"Provjera znanja iz Modula {n}",
                           f"Provjera znanja iz Modula {n}", f"Assessment of Module {n}")
        lines.append("    </assessment>")
        lines.append("  </module>")
    lines.append("</program>")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a large valid curriculum program for benchmarks.")
    parser.add_argument("--modules", type=int, default=1000, help="number of modules (default 1000)")
    parser.add_argument("--out", required=True, help="output file ('-' for standard output)")
    args = parser.parse_args()
    if args.modules < 1:
        parser.error("--modules must be at least 1")
    text = program(args.modules)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)


if __name__ == "__main__":
    main()
