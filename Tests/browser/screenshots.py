"""Full-page screenshots of the main pages of every role in Bosnian and Serbian Cyrillic, into docs/screenshots/; the
trainee's program page (version 2 of the diaspora program) also in Croatian and Serbian Latin, and at phone width.

    Tests/browser/run --screenshots            # fresh demo server, then this script
    OBUKA_TEST_URL=http://127.0.0.1:8080 OBUKA_DATA=var /usr/bin/python3 Tests/browser/screenshots.py [--out DIR]

Needs a server with the demo data (`obuka demo seed`, whose demo-logins.txt gives the passwords of the coordinator,
the trainee, the department head and the administrator). When DIJ-A has no certificates yet, the script issues them
(the certificates, verify and trainee pages need one). Prints a warning for any page that shows a catalog key instead
of its text (e.g. `web.nav.people`).
"""

import argparse
import datetime
import os
import pathlib
import re
import sys
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from browser import REPO, Browser, passwords  # noqa: E402

LANGUAGES = ("bs", "sr-Cyrl")
# The demo's year: the District clock the server runs on (Tests/browser/run sets it), else today.
THIS_YEAR = int(os.environ.get("OBUKA_NOW", str(datetime.date.today()))[:4])
# Text that looks like a catalog key left untranslated: two or more dotted lowercase parts after a known prefix.
KEY_PATTERN = re.compile(r"\b(?:web|cohort|people|attendance|assessment|certificate|schedule|enrolment|report|progress|"
                         r"curriculum|conflict|csv|sex|error|account|audit|role|keys|checkin|calendar|trainee|"
                         r"absence|forecast|notice|reset|department)\.[a-z_]+(?:\.[a-z_]+)*\b")
# The page's text without what legitimately looks like keys: the audit log's action names (e.g. `account.create`).
VISIBLE_TEXT = """
const copy = document.body.cloneNode(true);
copy.querySelectorAll('#audit tbody').forEach(e => e.remove());
return copy.textContent;
"""


def first_session_id(b, cohort="DIJ-A"):
    b.get(f"/cohorts/{cohort}/sessions")
    rows = b.find_all("table#sessions tbody tr[id^=s]")
    return rows[0].get_attribute("id")[1:] if rows else "1"


def ensure_certificates(b):
    """A verify link of a DIJ-A certificate, issuing the cohort's certificates when there are none."""
    b.get("/cohorts/DIJ-A/certificates")
    if not b.find_all("table#certificates tr[data-serial]"):
        b.submit_with("#issue")

        def finished(driver):
            try:
                return bool(driver.find_elements("css selector", "section#job")) and \
                    not driver.find_elements("css selector", "section#job progress")
            except StaleElementReferenceException:
                return False
        WebDriverWait(b.driver, 120, poll_frequency=0.3, ignored_exceptions=(StaleElementReferenceException,)).until(finished)
        b.get("/cohorts/DIJ-A/certificates")
    links = b.find_all("table#certificates a[href^='/verify/']")
    return urllib.parse.urlsplit(links[0].get_attribute("href")).path if links else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"), help="folder for the PNG files")
    parser.add_argument("--login", default="koordinator", help="the coordinator's login")
    parser.add_argument("--trainee", default="polaznik")
    parser.add_argument("--trainee-b", default="polaznica", help="a trainee of DIJ-B, on version 2 of the program")
    parser.add_argument("--department-head", default="rukovodilac")
    parser.add_argument("--admin", default="admin")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    b = Browser(width=1280, height=900)
    problems = []
    saved = []
    try:
        b.sign_in(args.login)
        if b.path == "/login":
            raise SystemExit(f"could not sign in as {args.login}: {b.find('main').text}")
        session = first_session_id(b)
        upcoming = first_session_id(b, "DIJ-B")  # the check-in screen of a session still to come
        verify = ensure_certificates(b)
        signed_in_pages = [
            ("cohorts", "/cohorts"),
            ("cohort", "/cohorts/DIJ-A"),
            ("progress", "/cohorts/DIJ-A/progress"),
            ("sessions", "/cohorts/DIJ-A/sessions"),
            ("attendance", f"/sessions/{session}"),
            ("people", "/people"),
            ("certificates", "/cohorts/DIJ-A/certificates"),
            ("program", "/programs/dijaspora-2022"),
            ("reports", "/reports"),
            ("cohort-edit", "/cohorts/DIJ-B/edit"),
            ("certificate-register", "/certificates"),
            ("holidays", "/holidays?year=2027"),
            ("venues", "/venues"),
            ("sessions-list", "/sessions?when=all"),
            ("requirements", "/requirements"),
            ("gaps", "/department/EIMS/gaps"),
            ("needs", "/needs"),
            ("plan", "/plan"),
            ("plan-this-year", f"/plan?year={THIS_YEAR}"),
            ("realisation", f"/reports/plan?year={THIS_YEAR}"),
            ("evaluation-results", "/cohorts/DIJ-A/evaluation"),
            ("evaluation-gain", "/cohorts/ZLP-1/evaluation"),
            ("people-unreachable", "/people/unreachable"),
        ]
        signed_out_pages = [("login", "/login")] + ([("verify", verify)] if verify else [])
        # The other roles' start pages ("/" sends each role to its own) and the check-in screen of the coordinator.
        known = passwords()
        role_pages = [
            (args.trainee, [("my", "/my"), ("evaluation-form", "/my/evaluations/DIJ-A/M3")]),
            (args.trainee_b, [("my-program", "/my/programs/dijaspora-2022")]),
            (args.department_head, [("department", "/"), ("department-needs", "/department/PRAV/needs"),
                                     ("department-follow-up", "/department/PRAV/follow-up")]),
            (args.admin, [("admin-accounts", "/admin/accounts"), ("admin-audit", "/admin/audit?limit=25"), ("admin-outbox", "/admin/outbox")]),
            (args.login, [("checkin", f"/sessions/{upcoming}/checkin")]),
        ]
        role_pages = [(login, pages) for login, pages in role_pages if login in known or login == args.login]
        b.sign_out()

        def shoot(language, name, path, min_width=1280):
            b.get(path)
            # Images loaded (the check-in screen's QR code; that page also renews itself every code window).
            WebDriverWait(b.driver, 20).until(lambda d: d.execute_script(
                "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"))
            file = out / f"{language}-{name}.png"
            b.full_page_png(file, min_width=min_width)
            saved.append(file)
            text = b.driver.execute_script(VISIBLE_TEXT)
            for key in sorted(set(KEY_PATTERN.findall(text))):
                problems.append(f"{file.name}: untranslated key {key!r} on {path}")
            if b.find("html").get_attribute("lang") != language:
                problems.append(f"{file.name}: <html lang> is {b.find('html').get_attribute('lang')!r}, not {language}")

        def sign_in(language, login):
            b.sign_out()
            b.get(f"/login?lang={language}")  # the cookie keeps the language for the pages after it
            b.sign_in(login)
            if b.path == "/login":
                problems.append(f"{language}: could not sign in as {login}")
                return False
            return True

        for language in LANGUAGES:
            b.sign_out()
            b.get(f"/login?lang={language}")
            for name, path in signed_out_pages:
                shoot(language, name, path)
            b.sign_in(args.login)
            for name, path in signed_in_pages:
                shoot(language, name, path)
            for login, pages in role_pages:
                if sign_in(language, login):
                    for name, path in pages:
                        shoot(language, name, path)
        # The coordinator's main pages at phone width.
        if sign_in("bs", args.login):
            b.phone()
            for name, path in [("cohorts", "/cohorts"), ("people", "/people?q=hadzic"), ("attendance", f"/sessions/{session}"),
                               ("certificates", "/cohorts/DIJ-A/certificates")]:
                shoot("bs", f"{name}-phone", path, min_width=390)
            b.phone(False)
        # The trainee's program page in the languages only the curriculum speaks fully, and on a phone.
        if args.trainee_b in known:
            for language in ("hr", "sr-Latn", "bs"):
                if sign_in(language, args.trainee_b):
                    if language != "bs":
                        shoot(language, "my-program", "/my/programs/dijaspora-2022")
                    b.phone()
                    shoot(language, "my-program-phone", "/my/programs/dijaspora-2022", min_width=390)
                    b.phone(False)
        # The demo trainee's module questionnaire on a phone, as most answer it.
        if args.trainee in known and sign_in("bs", args.trainee):
            b.phone()
            shoot("bs", "evaluation-form-phone", "/my/evaluations/DIJ-A/M3", min_width=390)
            # And the follow-up on use at work, a hundred days after the ethics cohort.
            links = b.get("/my").find_all("#my-follow-ups a.follow-up-link")
            if links:
                shoot("bs", "follow-up-form-phone", "/my/follow-ups/" + links[0].get_attribute("href").rsplit("/", 1)[1], min_width=390)
            else:
                problems.append("no follow-up waits for the demo trainee")
            b.phone(False)
    finally:
        b.quit()

    for file in saved:
        print(f"saved {file.relative_to(REPO) if file.is_relative_to(REPO) else file}")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
