#!/usr/bin/env python3
"""Generate a large participants CSV for benchmarks, as Excel in a Bosnian locale saves it.

Usage:
    Benchmarks/generate-participants.py --rows 10000 --out FILE

The output is deterministic (the same arguments give the same bytes):

* UTF-8 with a BOM, ';' between fields, CRLF after every record (the last too);
* the header personal_number;given_name;family_name;sex;email;department;job_title;
* personal numbers are unique 13-digit JMBG-like strings (birth date, region 10-19,
  serial 000-499 for men and 500-999 for women, mod-11 check digit);
* Bosnian given and family names with č ć đ š ž dž lj nj; sex "M" or "Ž";
* e-mail addresses ime.prezime.N@uprava.example in ASCII (N is the row number, so
  every address is unique);
* department codes from the District's list (the codes obuka seeds);
* job titles such as "viši referent" and "stručni saradnik"; about one row in a hundred
  has a title with ';' inside (written in quotes, as Excel does), and a few of those
  also have a doubled quote ("") inside the quotes.

Every row is one obuka accepts: `obuka people import FILE` adds exactly --rows people.
"""

import argparse
import csv
import datetime
import random
import sys

SEED = 20221128

DEPARTMENTS = ["KG", "SAP", "DF", "EIMS", "JP", "JR", "JS", "OBR", "PSV", "PRSK", "PPIP", "RLIS", "ZOU",
               "KP", "INS", "PRAV", "KUJI"]

MALE_NAMES = ["Adnan", "Almir", "Amar", "Anel", "Branimir", "Ćamil", "Ćazim", "Dalibor", "Damir", "Darko",
              "Denis", "Džemal", "Dženan", "Džafer", "Đorđe", "Đuro", "Edin", "Emir", "Ešref", "Goran",
              "Haris", "Ibrahim", "Ivan", "Jasmin", "Kenan", "Ljubomir", "Ljubiša", "Luka", "Marko", "Mirza",
              "Miloš", "Nikola", "Njegoš", "Nermin", "Predrag", "Radoš", "Šefik", "Šemsudin", "Tarik", "Vedran",
              "Vlatko", "Zoran", "Željko", "Žarko", "Muhamed", "Slobodan", "Dragan", "Mladen", "Hamza", "Senad"]

FEMALE_NAMES = ["Adna", "Aida", "Alma", "Amela", "Ana", "Azra", "Biljana", "Ćamila", "Danijela", "Dragana",
                "Džana", "Dženana", "Džemila", "Đurđa", "Đula", "Emina", "Ena", "Gordana", "Hana", "Ivana",
                "Jasmina", "Jelena", "Lejla", "Ljiljana", "Ljubica", "Maja", "Marija", "Mirela", "Nejra", "Njegosava",
                "Nataša", "Nermina", "Sanela", "Selma", "Snježana", "Šejla", "Šeherzada", "Tanja", "Vesna", "Zehra",
                "Željka", "Žaklina", "Ženana", "Mersiha", "Sabina", "Merima", "Amra", "Dijana", "Slađana", "Ajla"]

FAMILY_NAMES = ["Hodžić", "Begović", "Kovačević", "Hadžić", "Mehmedović", "Delić", "Petrović", "Jovanović",
                "Marić", "Babić", "Šehić", "Čaušević", "Ćosić", "Đurić", "Džafić", "Džaferović", "Ljubić",
                "Ljubojević", "Njegovan", "Nikolić", "Šarić", "Šabanović", "Žilić", "Živković", "Bešlagić",
                "Alić", "Ibrahimović", "Hasanović", "Salihović", "Mujkić", "Karić", "Husić", "Tadić", "Lukić",
                "Stojanović", "Mijatović", "Grgić", "Jurić", "Knežević", "Vuković", "Pašić", "Osmanović",
                "Ćatić", "Čolić", "Đogić", "Hrnjić", "Sinanović", "Omerović", "Kurtović", "Bajrić",
                "Mešić", "Ahmetović", "Džananović", "Smajić", "Zukić", "Ljubović", "Šljivić", "Njuhović",
                "Mustafić", "Softić"]

JOB_TITLES = ["viši referent", "stručni saradnik", "samostalni stručni saradnik", "referent",
              "stručni savjetnik", "viši stručni saradnik", "šef odsjeka", "šef pododjeljenja",
              "pravni savjetnik", "administrativni radnik", "daktilograf", "vozač",
              "saradnik za informacione tehnologije", "savjetnik za evropske integracije",
              "stručni saradnik za javne nabavke", "referent za računovodstvo", "domar-kurir"]

# Titles with the delimiter inside; Excel quotes them. The last two also hold a quote character.
QUOTED_TITLES = ["stručni saradnik; pripravnik", "viši referent; zamjena šefa",
                 "šef odsjeka; koordinator projekta",
                 'savjetnik za "e-upravu"; IT', 'referent za "Službeni glasnik"; arhiva']

ASCII_FOLD = str.maketrans({"č": "c", "ć": "c", "đ": "dj", "š": "s", "ž": "z",
                            "Č": "C", "Ć": "C", "Đ": "Dj", "Š": "S", "Ž": "Z"})


def ascii_mail_part(name: str) -> str:
    return name.translate(ASCII_FOLD).lower().replace(" ", "-")


def jmbg(birth: datetime.date, region: int, serial: int) -> str:
    digits = f"{birth.day:02d}{birth.month:02d}{birth.year % 1000:03d}{region:02d}{serial:03d}"
    weights = [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    return digits + str(0 if check > 9 else check)


def rows(count: int):
    rng = random.Random(SEED)
    seen = set()
    first_birth = datetime.date(1960, 1, 1)
    span = (datetime.date(2003, 12, 31) - first_birth).days
    for number in range(1, count + 1):
        male = rng.random() < 0.5
        given = rng.choice(MALE_NAMES if male else FEMALE_NAMES)
        family = rng.choice(FAMILY_NAMES)
        while True:
            birth = first_birth + datetime.timedelta(days=rng.randrange(span + 1))
            serial = rng.randrange(0, 500) + (0 if male else 500)
            personal = jmbg(birth, rng.randrange(10, 20), serial)
            if personal not in seen:
                seen.add(personal)
                break
        if number % 100 == 37:
            title = QUOTED_TITLES[(number // 100) % len(QUOTED_TITLES)]
        else:
            title = rng.choice(JOB_TITLES)
        yield [personal, given, family, "M" if male else "Ž",
               f"{ascii_mail_part(given)}.{ascii_mail_part(family)}.{number}@uprava.example",
               rng.choice(DEPARTMENTS), title]


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a participants CSV for benchmarks.")
    parser.add_argument("--rows", type=int, required=True, help="number of participants (data rows)")
    parser.add_argument("--out", required=True, help="output file")
    arguments = parser.parse_args()
    if arguments.rows < 1:
        sys.exit("generate-participants.py: --rows must be at least 1")
    with open(arguments.out, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(["personal_number", "given_name", "family_name", "sex", "email", "department", "job_title"])
        writer.writerows(rows(arguments.rows))


if __name__ == "__main__":
    main()
