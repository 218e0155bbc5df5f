"""Accessibility walk: every page of the route table, as a role allowed to see it, checked with axe-core in Chromium.

    Tests/browser/run --a11y            # every page at phone width, the main pages at desktop width too (make test)
    Tests/browser/run --a11y --all      # every page at both widths (make a11y)

Runs under the venv scripts/bootstrap makes (.build-a11y/venv: Debian's python3 with its selenium, plus
axe-selenium-python 2.1.6, whose axe-core it injects). The pages come from `obuka serve --list-routes`: a GET route that
answers HTML is visited with its parameters filled from the demo data; JSON, files and sign-out are left out by their
path. Any violation axe rates serious or critical fails the walk, and so does a page wider than the phone (reflow); each is
printed with the page and the elements.
"""

import argparse
import re
import subprocess
import sys
import pathlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from axe_selenium_python import Axe  # noqa: E402

from browser import Browser, obuka_bin, passwords  # noqa: E402

# Pages that are not HTML or end a session: what their paths end with or start with.
NOT_PAGES = (".pdf", "/pdf", ".csv", ".zip", ".ics", ".json", ".png", ".svg", "/logout")
NOT_PAGE_PREFIXES = ("/api/", "/static/", "/calendar/", "/my/export")
# The main pages, checked at desktop width too in the short walk.
MAIN_PAGES = ("/cohorts", "/cohorts/{code}", "/people", "/sessions", "/sessions/{id}", "/my", "/programs/{id}", "/reports", "/login")
# Who visits a capability's pages (anonymous for `everyone`).
VISITOR = {
    "everyone": None, "signedIn": "koordinator", "viewOwnProgress": "polaznik", "administer": "admin",
    "viewDepartmentReports": "rukovodilac", "viewDepartmentPeople": "rukovodilac", "decideDepartmentEnrolments": "rukovodilac",
    "answerFollowUps": "rukovodilac",
}


def obuka(*args):
    return subprocess.run([str(obuka_bin()), *args], check=True, capture_output=True, text=True).stdout


def routes():
    """(path, capability) of every GET page in the route table."""
    result = []
    for line in obuka("serve", "--list-routes").splitlines():
        method, path, capability, *_ = line.split()
        if method != "GET" or path.endswith(NOT_PAGES) or path.startswith(NOT_PAGE_PREFIXES):
            continue
        result.append((path, capability))
    return result


def values():
    """Records of the demo data that path parameters name."""
    sessions = [line.split()[0] for line in obuka("schedule", "list", "DIJ-A").splitlines() if re.match(r"^\d+\s", line)]
    certificates = [line.split()[0] for line in obuka("certificate", "list").splitlines() if line.startswith("BD-")]
    accounts = {}
    for line in obuka("account", "list").splitlines()[2:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 4:
            accounts[cells[0]] = cells[3]
    return {
        "code": "DIJ-A", "id": sessions[0] if sessions else "1", "serial": certificates[0] if certificates else "BD-DIJ-2026-000001",
        "number": accounts.get("polaznik", "1001"), "personal_number": accounts.get("polaznik", "1001"),
        "department": accounts.get("rukovodilac", "EIMS"), "login": "polaznik", "version": "2", "assessment": "M1-T", "module": "M3",
    }


def fill(path, known):
    if re.search(r"(programs|catalogue)/\{id\}", path):
        path = path.replace("{id}", "dijaspora-2022")
    # A follow-up's form: the one waiting for the demo trainee, or for the demo head.
    if path.startswith("/my/follow-ups/"):
        path = path.replace("{id}", known.get("follow_up_trainee", "{id}"))
    if "/follow-up/{id}" in path:
        path = path.replace("{id}", known.get("follow_up_head", "{id}"))
    if path.startswith("/verify/"):
        return known.get("verify")
    for name, value in known.items():
        path = path.replace("{" + name + "}", value)
    return None if "{" in path else path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="every page at both widths")
    args = parser.parse_args()
    obuka("certificate", "issue", "--cohort", "DIJ-A")
    known = values()
    logins = passwords()
    # The public verify page needs a certificate's check code: its link on the coordinator's certificates page.
    b = Browser(width=1280, height=900)
    try:
        b.sign_in("koordinator", password=logins.get("koordinator"))
        links = b.get("/cohorts/DIJ-A/certificates").find_all("table#certificates a[href^='/verify/']")
        if links:
            known["verify"] = "/verify/" + links[0].get_attribute("href").split("/verify/", 1)[1]
        # The follow-up forms need the ids of those waiting: on the trainee's page and the head's.
        for login, page, selector, key in (("polaznik", "/my", "#my-follow-ups a.follow-up-link", "follow_up_trainee"),
                                           ("rukovodilac", f"/department/{known['department']}/follow-up",
                                            "#follow-up-waiting a.follow-up-link", "follow_up_head")):
            b.sign_out()
            b.sign_in(login, password=logins.get(login))
            links = b.get(page).find_all(selector)
            if links:
                known[key] = links[0].get_attribute("href").rstrip("/").rsplit("/", 1)[1]
        # The reset page needs a live one-time link: the administrator makes one for the trainee (the password stays
        # until the link is used, which the walk never does).
        b.sign_out()
        b.sign_in("admin", password=logins.get("admin"))
        b.get("/admin/accounts")
        b.submit_with("form[action='/admin/accounts/polaznik']:has(input[value='reset']) button")
        link = b.wait_for("#reset-link code").text
        if "/reset/" in link:
            known["token"] = link.split("/reset/", 1)[1].strip()
    finally:
        b.quit()
    pages = []
    for path, capability in routes():
        filled = fill(path, known)
        if filled is None:
            print(f"a11y: skipped {path} (no record to fill it with)")
            continue
        pages.append((path, filled, VISITOR.get(capability, "koordinator")))
    failures = []
    checked = 0
    b = Browser(width=1280, height=900)
    try:
        signed_in_as = "?"
        for visitor in sorted({v for _, _, v in pages}, key=lambda v: v or ""):
            if visitor != signed_in_as:
                b.sign_out()
                if visitor:
                    b.sign_in(visitor, password=logins.get(visitor))
                signed_in_as = visitor
            for template, path, who in pages:
                if who != visitor:
                    continue
                widths = ("phone", "desktop") if args.all or template in MAIN_PAGES else ("phone",)
                for width in widths:
                    b.phone(width == "phone")
                    b.get(path)
                    axe = Axe(b.driver)
                    try:
                        axe.inject()
                        result = axe.run(options={"resultTypes": ["violations"]})
                    except Exception as error:  # a page axe cannot read is a failure to look at, not a crash of the walk
                        failures.append(f"{path} ({width}, {visitor or 'anonymous'}): axe could not run: {str(error).splitlines()[0]}")
                        continue
                    checked += 1
                    # WCAG 1.4.10 (reflow): at phone width nothing makes the page scroll sideways (tables scroll inside).
                    width_px = b.driver.execute_script("return document.documentElement.scrollWidth")
                    if width == "phone" and width_px > 390:
                        failures.append(f"{path} (phone, {visitor or 'anonymous'}): the page is {width_px} px wide, wider than 390")
                    for violation in result["violations"]:
                        if violation.get("impact") in ("serious", "critical"):
                            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
                            failures.append(f"{path} ({width}, {visitor or 'anonymous'}): {violation['impact']} "
                                            f"{violation['id']} ({len(violation['nodes'])}): {violation['help']} — {targets}")
        b.phone(False)
    finally:
        b.quit()
    print(f"a11y: {checked} page checks over {len(pages)} pages")
    for failure in failures:
        print(f"a11y: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
