"""The trainee's, department head's and administrator's web flows and QR check-in, in headless Chromium against a
running `obuka serve` with the demo data.

Run with Tests/browser/run (it starts the server on a fresh data directory, with a check-in code window of
OBUKA_CHECKIN_WINDOW=3 seconds so an expired code takes seconds, not a minute). Each test signs in afresh in its
own browsers; the pages are checked in Bosnian, the default language. The tests do not depend on each other's
order: the department head decides the request of a second trainee of the department (an account made here), so
the demo trainee's own request for DIJ-B stays the trainee test's.
"""

import csv
import datetime
import io
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser import REPO, BASE_URL, Browser, http, http_full, obuka, pdf_text, run_obuka

TRAINEE = "polaznik"
HEAD = "rukovodilac"
OPEN_COHORT = "DIJ-B"      # starts in two weeks: open for requests
FINISHED_COHORT = "DIJ-A"  # finished; the demo trainee completed it
CHECKIN_WINDOW = int(os.environ.get("OBUKA_CHECKIN_WINDOW") or "30")
ZBARIMG = shutil.which("zbarimg")


def normalized(text):
    return " ".join(text.split())


def accounts_password(login):
    from browser import passwords
    return passwords()[login]


def accounts():
    """login -> (roles, scope) from `obuka account list` (scope: a department head's department or a trainee's number)."""
    result = {}
    for line in obuka("account", "list").splitlines()[2:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 5:
            result[cells[0]] = (cells[2], cells[3])
        elif len(cells) == 4:
            result[cells[0]] = (cells[2], "")
    return result


def departments():
    """code -> name from `obuka departments list`."""
    result = {}
    for line in obuka("departments", "list").splitlines()[2:]:
        code, _, name = line.strip().partition(" ")
        if code:
            result[code] = name.strip()
    return result


def cohort_name(code):
    """The cohort's name, from the first line of `obuka cohort show` ("NAME (CODE): …")."""
    first = obuka("cohort", "show", code).splitlines()[0]
    return first.split(f" ({code})", 1)[0]


def ensure_account(login, password, *options):
    if login not in accounts():
        obuka("account", "add", login, *options, "--password-stdin", input=password)


def district_now():
    return datetime.datetime.strptime(os.environ.get("OBUKA_NOW", "2026-11-25 12:00"), "%Y-%m-%d %H:%M")


_checkin_session = None


def checkin_session():
    """Id of a session of the finished cohort that runs now (OBUKA_NOW): it started five minutes ago, so a trainee who
    checks in now is present, not late. Scheduled from the CLI the first time (forced only if the day is a holiday)."""
    global _checkin_session
    if _checkin_session is None:
        now = district_now()
        starts, ends = now - datetime.timedelta(minutes=5), now + datetime.timedelta(hours=2)
        when = f"{starts:%Y-%m-%d} {starts:%H:%M}–{ends:%H:%M}"
        for line in obuka("schedule", "list", FINISHED_COHORT).splitlines():
            if when in line:
                _checkin_session = line.split()[0]
                return _checkin_session
        # Module 1: module 3's questionnaire stays open for the demo trainee (a later session would close it again).
        args = ["schedule", "add", FINISHED_COHORT, "--module", "M1", "--date", f"{starts:%Y-%m-%d}",
                "--from", f"{starts:%H:%M}", "--to", f"{ends:%H:%M}", "--venue", "Sala Vlade Brčko distrikta"]
        completed = run_obuka(*args)
        if completed.returncode != 0 and "praznik" in completed.stderr:
            completed = run_obuka(*args, "--force")
        if completed.returncode != 0:
            raise AssertionError(f"could not schedule the check-in session: {completed.stderr}")
        _checkin_session = re.search(r"termin (\d+)", completed.stdout).group(1)
    return _checkin_session


class RoleTest(unittest.TestCase):
    def setUp(self):
        self.browser = self.new_browser()

    def new_browser(self):
        browser = Browser()
        self.addCleanup(browser.quit)
        return browser

    def signed_in(self, login, browser=None, password=None):
        b = browser or self.browser
        b.sign_in(login, password=password)
        self.assertNotEqual(b.path, "/login", f"{login} could not sign in: {b.find('main').text}")
        self.assertIn("obuka_session", b.cookies())
        return b

    def main_html(self, b):
        return b.find("main").get_attribute("innerHTML")


# --- trainee ------------------------------------------------------------------------------------------------------

class KeyboardFlows(RoleTest):

    def focused(self, b):
        return b.driver.switch_to.active_element

    def press(self, b, *keys):
        ActionChains(b.driver).send_keys(*keys).perform()

    def test_keyboard_only_sign_in_skip_link_and_menu(self):
        # Signing in, skipping the header and following the menu without a mouse.
        b = self.browser
        b.get("/login")
        self.assertEqual(self.focused(b).get_attribute("id"), "login", "the login field has the focus")
        self.press(b, "koordinator", Keys.TAB)
        self.assertEqual(self.focused(b).get_attribute("id"), "password")
        self.press(b, accounts_password("koordinator"), Keys.ENTER)
        WebDriverWait(b.driver, 20).until(lambda d: urllib.parse.urlsplit(d.current_url).path == "/cohorts")
        # The first Tab reaches the skip link, which shows itself and moves the focus to the page's content.
        self.press(b, Keys.TAB)
        skip = self.focused(b)
        self.assertEqual(skip.get_attribute("class"), "skip")
        self.assertTrue(skip.is_displayed() and skip.location["x"] >= 0)
        self.press(b, Keys.ENTER)
        self.assertEqual(self.focused(b).get_attribute("id"), "main")
        # From the content, Tab walks forward to the search field of the list, which takes typing and Enter.
        for _ in range(5):
            self.press(b, Keys.TAB)
            if self.focused(b).get_attribute("id") == "cohorts-search":
                break
        self.assertEqual(self.focused(b).get_attribute("id"), "cohorts-search")
        self.press(b, "DIJ-A", Keys.ENTER)
        WebDriverWait(b.driver, 20).until(lambda d: "q=DIJ-A" in d.current_url)
        self.assertIn("DIJ-A", b.find("table#cohorts tbody").text)


class TraineeFlows(RoleTest):

    @classmethod
    def setUpClass(cls):
        # Certificates for the finished cohort (a no-op when a coordinator test has issued them already).
        obuka("certificate", "issue", "--cohort", FINISHED_COHORT)
        cls.number = accounts()[TRAINEE][1]

    def certificates(self):
        """serial -> (personal number, name) from `obuka certificate list`."""
        result = {}
        for line in obuka("certificate", "list").splitlines()[2:]:
            cells = re.split(r"\s{2,}", line.strip())
            if len(cells) >= 3:
                result[cells[0]] = (cells[1], cells[2])
        return result

    def test_reminders_are_switched_off_and_on_again_on_a_phone(self):
        b = self.signed_in(TRAINEE)
        b.phone()
        self.assertIn("stižu uvijek", b.text("#my-reminders"))
        b.find("#reminders-off").click()
        b.submit_with("#save-reminders")
        self.assertIn("Podsjetnici su isključeni", b.text("p.notice"))
        self.assertTrue(b.find("#reminders-off").is_selected())
        self.assertIn("Podsjetnici e-poštom: isključeni", obuka("people", "show", self.number))
        self.assertLessEqual(b.driver.execute_script("return document.documentElement.scrollWidth"), 390)
        b.find("#reminders-on").click()
        b.submit_with("#save-reminders")
        b.phone(False)
        self.assertIn("Podsjetnici su uključeni", b.text("p.notice"))
        self.assertIn("Podsjetnici e-poštom: uključeni", obuka("people", "show", self.number))

    def test_program_page_reads_on_a_phone_in_every_script(self):
        # The demo's trainee of the cohort to come, on version 2 of the program: its case study on a phone.
        b = self.signed_in("polaznica")
        link = b.find("section.program h2 a")
        self.assertEqual(link.get_attribute("href").split("/", 3)[3], "my/programs/dijaspora-2022")
        b.phone()
        for language, words in (("bs", "Usluge dijaspori"), ("sr-Latn", "Realizacija mjera"), ("hr", "Provedba mjera"),
                                ("sr-Cyrl", "Услуге дијаспори")):
            b.get(f"/my/programs/dijaspora-2022?lang={language}")
            text = b.find("main").text
            self.assertIn(words, text, language)
            if language in ("bs", "sr-Latn", "hr"):
                self.assertIsNone(re.search("[\u0400-\u04FF]", b.find("main").get_attribute("textContent")),
                                  f"Cyrillic on the {language} page (beside the language menu, whose autonyms are in their own script)")
            # Nothing wider than the phone: no sideways scrolling, the figures beside their words.
            self.assertLessEqual(b.driver.execute_script("return document.documentElement.scrollWidth"), 390, language)
            figures = [f.text for f in b.find_all("dl.figures dt")]
            self.assertIn("10.171", figures, language)
            self.assertIn("9.680", figures, language)
        b.phone(False)

    def test_module_questionnaire_answered_on_a_phone_then_the_coordinators_results(self):
        # The demo's trainee of cohort A has module 3 to rate: on a phone, from their page.
        b = self.signed_in("polaznik")
        b.phone()
        b.get("/my")
        link = b.find("#my-evaluations a.evaluation-link")
        self.assertTrue(link.get_attribute("href").endswith("/my/evaluations/DIJ-A/M3"))
        link.click()
        b.wait_ready()
        self.assertIn("anonimni", b.text("#evaluation-anonymous"))
        self.assertLessEqual(b.driver.execute_script("return document.documentElement.scrollWidth"), 390)
        # Each choice is a target a thumb can hit.
        for label in b.find_all("#Q1 label.choice"):
            self.assertGreaterEqual(label.size["height"], 44)
        # The five statements rated by tapping, the length left out: refused beside it, the ratings kept.
        for item in range(1, 6):
            b.find(f"label[for='Q{item}-{5 if item % 2 else 4}']").click()
        b.fill("#Q8-text", "Više vremena za pitanja")
        b.submit_with("#send-evaluation")
        self.assertEqual(b.last_status(), 422)
        self.assertTrue(b.text("#Q6-error"))
        self.assertTrue(b.find("#Q1-5").is_selected())
        self.assertEqual(b.find("#Q8-text").get_attribute("value"), "Više vremena za pitanja")
        b.find("label[for='Q6-dobro']").click()
        b.submit_with("#send-evaluation")
        self.assertEqual(b.path, "/my")
        self.assertIn("sačuvani", b.text("p.notice"))
        self.assertFalse(b.exists("#my-evaluations"))
        b.phone(False)
        b.sign_out()

        # The coordinator: module 3 is still open, so nothing shows; with its deadline moved to yesterday, the figures do.
        c = self.signed_in("koordinator", browser=self.new_browser())
        c.get("/cohorts/DIJ-A/evaluation")
        self.assertIn("nakon roka", c.text("#evaluation-M3 .evaluation-state"))
        self.assertFalse(c.exists("#evaluation-M3 tr[data-item='Q1']"))
        self.assertIn("Odgovora: 17", c.text("#evaluation-M1"))
        yesterday = (district_now() - datetime.timedelta(days=1)).date().isoformat()
        c.set_value("#evaluation-M3 input[name=deadline]", yesterday)
        c.submit_with("#deadline-M3")
        self.assertIn("sačuvan", c.text("p.notice"))
        self.assertIn("Odgovora: 17", c.text("#evaluation-M3"))
        self.assertIn("Više vremena za pitanja", c.text("#evaluation-M3"))
        self.assertTrue(c.exists("#evaluation-M3 tr[data-item='Q6']"))

    def test_follow_up_on_use_at_work_answered_on_a_phone(self):
        # The demo trainee completed the ethics cohort a hundred days ago: their follow-up waits on their page.
        b = self.signed_in(TRAINEE)
        b.phone()
        b.get("/my")
        b.find("#my-follow-ups a.follow-up-link").click()
        b.wait_ready()
        self.assertIn("lični podaci", b.text("#evaluation-anonymous"))
        self.assertLessEqual(b.driver.execute_script("return document.documentElement.scrollWidth"), 390)
        b.find("label[for='F1-4']").click()
        b.find("label[for='F3-sedmicno']").click()
        b.submit_with("#send-evaluation")
        self.assertEqual(b.last_status(), 422)
        self.assertTrue(b.text("#F2-error"))
        self.assertTrue(b.find("#F1-4").is_selected())
        b.find("label[for='F2-3']").click()
        b.submit_with("#send-evaluation")
        self.assertEqual(b.path, "/my")
        self.assertIn("sačuvani", b.text("p.notice"))
        self.assertFalse(b.exists("#my-follow-ups"))
        b.phone(False)

    def test_home_forecast_and_enrolment_request(self):
        b = self.signed_in(TRAINEE)
        self.assertEqual(b.path, "/my", "a trainee starts on /my")
        b.get("/")
        self.assertEqual(b.path, "/my")

        # The forecast of the finished cohort, in the same words as the CLI's.
        name = cohort_name(FINISHED_COHORT)
        sections = [s for s in b.find_all("section.program") if name in s.text]
        self.assertEqual(len(sections), 1, f"one section for {name}")
        section = sections[0]
        forecast = section.find_element("css selector", ".forecast").text.strip()
        self.assertTrue(forecast, "the forecast is empty")
        cli = obuka("progress", self.number)
        block = cli.split(f"({FINISHED_COHORT})", 1)[1]
        expected = re.search(r"Prognoza: (.+)", block).group(1).strip()
        self.assertEqual(forecast, expected)
        for reason in section.find_elements("css selector", "ul.reasons li"):
            self.assertTrue(reason.text.strip())

        # The cohort that starts later runs the program the trainee completed: it is not offered to them. A cohort of
        # another program is, and they ask for a place in it.
        self.assertFalse(b.exists(f"#request-{OPEN_COHORT}"), "a cohort of a completed program is offered")
        other = "MIN-1"
        if other not in obuka("cohort", "list"):
            obuka("curriculum", "load", str(REPO / "Tests/CurriculumXMLTests/Fixtures/good/minimal.xml"))
            starts = district_now() + datetime.timedelta(days=30)
            obuka("cohort", "create", "--code", other, "--name", "Kratka obuka", "--program", "minimal",
                  "--starts", f"{starts:%Y-%m-%d}", "--ends", f"{starts + datetime.timedelta(days=5):%Y-%m-%d}", "--capacity", "5")
        b.get("/my")
        self.assertTrue(b.exists(f"#request-{other}"), b.text("#open-cohorts"))
        b.submit_with(f"#request-{other}")
        self.assertEqual(b.path, "/my")
        self.assertEqual(b.last_status(), 200)
        self.assertIn("Zahtjev za upis je poslan.", b.text("p.notice"))
        self.assertRegex(obuka("cohort", "show", other), rf"{self.number}\s+.*zatražen upis")
        # Now shown as requested, and not offered again.
        self.assertFalse(b.exists(f"#request-{other}"), "the cohort is still offered after the request")
        self.assertIn("zatražen upis", b.text("#open-cohorts"))
        self.assertFalse(b.find_all("#open-cohorts .error"))

    def test_report_absence_for_a_future_session(self):
        b = self.signed_in(TRAINEE)
        # A session of the trainee's cohort tomorrow, so there is one that has not started.
        tomorrow = district_now() + datetime.timedelta(days=1)
        when = f"{tomorrow:%Y-%m-%d} 08:00–08:30"
        listed = [line for line in obuka("schedule", "list", FINISHED_COHORT).splitlines() if when in line]
        if listed:
            session = listed[0].split()[0]
        else:
            args = ["schedule", "add", FINISHED_COHORT, "--module", "M1", "--date", f"{tomorrow:%Y-%m-%d}",
                    "--from", "08:00", "--to", "08:30", "--venue", "Sala Vlade Brčko distrikta"]
            completed = run_obuka(*args)
            if completed.returncode != 0:
                completed = run_obuka(*args, "--force")
            self.assertEqual(completed.returncode, 0, completed.stderr)
            session = re.search(r"termin (\d+)", completed.stdout).group(1)
        b.get("/my")
        item = b.find(f"#upcoming #session-{session}")
        self.assertNotIn("Prijavljeno odsustvo", item.text, "no absence has been reported yet")
        forms = item.find_elements("css selector", "form[action='/my/absences']")
        self.assertEqual(len(forms), 1, f"a future session offers the absence form: {item.get_attribute('innerHTML')}")
        forms[0].find_element("css selector", "input[name=reason]").send_keys("Službeni put")
        b.submit_with(forms[0].find_element("css selector", "button[type=submit]"))
        self.assertEqual(b.path, "/my")
        item = b.find(f"#upcoming #session-{session}")
        self.assertIn("Prijavljeno odsustvo: Službeni put", item.text)
        self.assertFalse(item.find_elements("css selector", "form[action='/my/absences']"))

    def test_calendar_subscription(self):
        b = self.signed_in(TRAINEE)
        b.submit_with("#calendar-create")
        self.assertEqual(b.last_status(), 200)
        link = b.text("#calendar-url")
        self.assertRegex(link, rf"^{re.escape(BASE_URL)}/calendar/[A-Za-z0-9_-]{{20,}}\.ics$")
        path = urllib.parse.urlsplit(link).path
        # The link works without signing in: the calendar app has no cookies.
        status, headers, body = http_full("GET", path)
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("Content-Type", "").startswith("text/calendar"), headers.get("Content-Type"))
        self.assertTrue(body.startswith("BEGIN:VCALENDAR"))
        # Every session of the trainee's cohorts: cohort A's, and the demo's ethics and data-protection cohorts' where
        # they hold a place there too.
        cohorts = [FINISHED_COHORT] + [code for code in ("ETI-1", "ZLP-1") if re.search(rf"\b{self.number}\b", obuka("cohort", "show", code))]
        sessions = [line for code in cohorts for line in obuka("schedule", "list", code).splitlines() if re.match(r"\d+\s", line)]
        self.assertEqual(body.count("BEGIN:VEVENT"), len(sessions), f"one event per session of the trainee's cohorts {cohorts}")
        self.assertIn("X-WR-CALNAME:" + b.text(".account"), body)

        b.submit_with("#calendar-revoke")
        self.assertEqual(b.path, "/my")
        self.assertTrue(b.exists("p.notice"))
        self.assertEqual(http("GET", path)[0], 404, "a revoked link is gone")
        self.assertTrue(b.exists("#calendar-create"))
        self.assertFalse(b.exists("#calendar-revoke"))
        # The secret link is shown once, right after it is made, never on the page later.
        self.assertFalse(b.exists("#calendar-url"), f"#calendar-url on a later page: {b.find('#upcoming').text}")

    def test_certificate_and_transcript_pdfs(self):
        b = self.signed_in(TRAINEE)
        certificates = self.certificates()
        own = {serial: name for serial, (number, name) in certificates.items() if number == self.number}
        self.assertTrue(own, f"the trainee {self.number} has no certificate: {certificates}")

        links = b.find_all("#my-certificates a.certificate-link")
        self.assertEqual(sorted(link.text for link in links), sorted(own))
        serial = links[0].text
        links[0].click()
        pdf = b.wait_for_download(".pdf")
        self.assertEqual(pdf.name, f"{serial}.pdf")
        text = normalized(pdf_text(pdf))
        self.assertIn(own[serial], text)
        self.assertIn(serial, text)

        before = b.downloads()
        b.find("#transcript").click()
        transcript = b.wait_for_download(".pdf", before=before)
        self.assertEqual(transcript.name, f"transkript-{self.number}.pdf")
        text = normalized(pdf_text(transcript))
        title = normalized(b.find("section.program h2").text)
        self.assertIn(title, text)
        self.assertIn(own[serial], text)

        # Another person's certificate is not found, exactly like a serial that does not exist.
        other = next(s for s, (number, _) in certificates.items() if number != self.number)
        b.get(f"/my/certificates/{other}/pdf")
        self.assertEqual(b.last_status(), 404)
        other_page = self.main_html(b)
        b.get("/my/certificates/BD-NEMA-0000-000000/pdf")
        self.assertEqual(b.last_status(), 404)
        self.assertEqual(self.main_html(b), other_page)
        self.assertEqual(len(b.downloads()), 2, "nothing else was downloaded")


# --- department head --------------------------------------------------------------------------------------------

class DepartmentHeadFlows(RoleTest):
    SECOND_TRAINEE = "polaznica-test"
    SECOND_PASSWORD = "lozinka-polaznice-1"

    @classmethod
    def setUpClass(cls):
        roles = accounts()
        cls.department = roles[HEAD][1]
        cls.trainee_number = roles[TRAINEE][1]
        cls.names = departments()
        cls.other_department = next(code for code in sorted(cls.names) if code != cls.department)
        # A second trainee of the head's department who has no enrolment yet.
        people = [re.split(r"\s{2,}", line.strip()) for line in obuka("people", "list").splitlines()[2:]]
        enrolled = obuka("cohort", "show", FINISHED_COHORT) + obuka("cohort", "show", OPEN_COHORT)
        if cls.SECOND_TRAINEE in roles:
            cls.second_number = roles[cls.SECOND_TRAINEE][1]
        else:
            cls.second_number = next(cells[0] for cells in people if len(cells) > 2 and cells[2] == cls.department
                                     and cells[0] != cls.trainee_number and not re.search(rf"\b{cells[0]}\b", enrolled))
            ensure_account(cls.SECOND_TRAINEE, cls.SECOND_PASSWORD, "--name", "Druga polaznica", "--role", "trainee",
                           "--person", cls.second_number)

    def test_approve_request_and_report(self):
        # The second trainee asks for a place in the open cohort.
        trainee = self.signed_in(self.SECOND_TRAINEE, browser=self.new_browser(), password=self.SECOND_PASSWORD)
        self.assertEqual(trainee.path, "/my")
        trainee.submit_with(f"#request-{OPEN_COHORT}")
        self.assertIn("Zahtjev za upis je poslan.", trainee.text("p.notice"))

        b = self.signed_in(HEAD)
        self.assertEqual(b.path, f"/department/{self.department}", "a department head starts on their department")
        self.assertIn(self.names[self.department], b.text("h1"))
        row = b.find(f"#requests tr[data-person='{self.second_number}']")
        self.assertIn(cohort_name(OPEN_COHORT), row.text)
        people = b.text("#department-people")
        self.assertIn(self.second_number, people)
        self.assertIn(self.trainee_number, people)

        b.submit_with(row.find_element("css selector", "button.approve"))
        self.assertEqual(b.path, f"/department/{self.department}")
        self.assertEqual(b.last_status(), 200)
        self.assertTrue(b.exists("p.notice"))
        self.assertFalse(b.exists(f"#requests tr[data-person='{self.second_number}']"), "the request row is gone")
        self.assertRegex(obuka("cohort", "show", OPEN_COHORT),
                         rf"{self.second_number}\s+.*\s{self.department}\s+(ima mjesto|na listi čekanja)")
        person_row = [r for r in b.find_all("#department-people tbody tr") if r.text.startswith(self.second_number)][0]
        self.assertRegex(person_row.text, rf"{OPEN_COHORT}: (ima mjesto|na listi čekanja)")
        # The trainee sees the place.
        trainee.get("/my")
        self.assertIn(cohort_name(OPEN_COHORT), " ".join(s.text for s in trainee.find_all("section.program")))

        # The department report as a page and as CSV.
        b.submit_with("#report-html")
        self.assertEqual(b.path, f"/reports/department/{self.department}")
        self.assertIn(self.names[self.department], b.find("body").text)
        b.get(f"/department/{self.department}")
        b.find(f"a[href='/reports/department/{self.department}?format=csv']").click()
        report = b.wait_for_download(".csv")
        self.assertTrue(report.name.startswith(f"izvjestaj-{self.department}-"), report.name)
        text = report.read_bytes().decode("utf-8-sig")
        self.assertIn(self.names[self.department], text)
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertGreater(len(rows), 5)

    def test_other_departments_and_coordinator_pages_are_refused(self):
        b = self.signed_in(HEAD)
        cookies = b.cookies()
        token = b.find("form[action='/logout'] input[name=_csrf]").get_attribute("value")

        for template in ("/department/{}", "/reports/department/{}", "/reports/department/{}?format=csv"):
            other, missing = template.format(self.other_department), template.format("NEMA99")
            b.get(other)
            self.assertEqual(b.last_status(), 403, other)
            self.assertIn("Nemate pristup", b.text("#error-message"))
            shown = self.main_html(b)
            b.get(missing)
            self.assertEqual(b.last_status(), 403, missing)
            self.assertEqual(self.main_html(b), shown, f"{other} and {missing} must look the same")
            status_other, body_other = http("GET", other, cookies=cookies)
            status_missing, body_missing = http("GET", missing, cookies=cookies)
            self.assertEqual((status_other, body_other), (status_missing, body_missing))
        b.get("/reports/go?department=" + self.other_department)
        self.assertEqual(b.last_status(), 403)

        # Coordinator pages.
        for path in (f"/people/{self.trainee_number}", f"/cohorts/{FINISHED_COHORT}", "/cohorts", "/admin/accounts"):
            b.get(path)
            self.assertEqual(b.last_status(), 403, path)
            self.assertFalse(b.exists("table"), f"{path} shows nothing")

        # Deciding another department's request, through their URL or through one's own: refused, nothing changes.
        before = obuka("cohort", "show", OPEN_COHORT)
        requests = [cells for cells in (re.split(r"\s{2,}", line.strip()) for line in before.splitlines())
                    if len(cells) >= 5 and cells[4] == "zatražen upis" and cells[3] != self.department]
        self.assertTrue(requests, f"the demo data has requests from other departments: {before}")
        number, department = requests[0][1], requests[0][3]
        fields = {"_csrf": token, "person": number, "cohort": OPEN_COHORT, "action": "approve"}
        status, _ = http("POST", f"/department/{department}/requests", fields, cookies)
        self.assertEqual(status, 403)
        status, _ = http("POST", f"/department/{self.department}/requests", fields, cookies)
        self.assertEqual(status, 404)
        self.assertEqual(obuka("cohort", "show", OPEN_COHORT), before)
        # The same token does work for the head's own department (an unknown action: refused by the app, not CSRF).
        status, _ = http("POST", f"/department/{self.department}/requests",
                         dict(fields, person=self.trainee_number, action="nothing"), cookies)
        self.assertEqual(status, 400)

    def test_follow_up_the_head_sees_and_answers_only_their_department(self):
        # The demo's ethics cohort ended a hundred days ago: its follow-ups are due.
        b = self.signed_in(HEAD)
        b.find("#department-follow-up").click()
        b.wait_ready()
        self.assertEqual(b.path, f"/department/{self.department}/follow-up")
        waiting = [li.get_attribute("data-person") for li in b.find_all("#follow-up-waiting li[data-person]")]
        self.assertTrue(waiting, "one of the head's people waits for their view")
        people = {cells[0]: cells[2] for cells in (re.split(r"\s{2,}", line.strip()) for line in obuka("people", "list").splitlines()[2:])
                  if len(cells) > 2}
        for number in waiting:
            self.assertEqual(people[number], self.department, f"{number} is of the head's department")
        # The heads' results: shown for no department below five answers.
        self.assertIn("Odgovorilo", b.text("#follow-up-head"))
        # Another department's follow-up page is refused, as a missing one is.
        b.get(f"/department/{self.other_department}/follow-up")
        self.assertEqual(b.last_status(), 403)
        # The view about the waiting person, on a phone.
        b.get(f"/department/{self.department}/follow-up")
        b.phone()
        b.find("#follow-up-waiting a.follow-up-link").click()
        b.wait_ready()
        self.assertIn("lični podatak", b.text("#evaluation-anonymous"))
        self.assertLessEqual(b.driver.execute_script("return document.documentElement.scrollWidth"), 390)
        for item in ("R1", "R2"):
            b.find(f"label[for='{item}-4']").click()
        b.find("label[for='R3-da']").click()
        b.submit_with("#send-evaluation")
        b.phone(False)
        self.assertEqual(b.path, f"/department/{self.department}/follow-up")
        self.assertIn("sačuvani", b.text("p.notice"))
        self.assertFalse(b.exists("#follow-up-waiting li[data-person]"))
        # The answer is the person's personal data: in their export, with who answered.
        export = obuka("privacy", "export", waiting[0])
        self.assertIn("rukovodilac", export)


# --- administrator ----------------------------------------------------------------------------------------------

class AdministratorFlows(RoleTest):

    def test_outbox_shows_a_failed_hand_over_with_the_reason_and_retries_it(self):
        # A relay that is not there (a port nothing listens on): `mail send` fails and every message waits with why.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        relay = {"OBUKA_SMTP_HOST": "127.0.0.1", "OBUKA_SMTP_PORT": str(port), "OBUKA_SMTP_SECURITY": "none",
                 "OBUKA_SMTP_TIMEOUT": "5"}
        completed = run_obuka("mail", "send", extra_env=relay)
        self.assertEqual(completed.returncode, 3, completed.stdout + completed.stderr)
        admin = self.signed_in("admin")
        admin.get("/admin/outbox")
        failed = [row for row in admin.find_all("#outbox tbody tr") if row.find_element(By.CSS_SELECTOR, "td:nth-child(6)").text != "0"]
        self.assertTrue(failed, "a message that failed to go")
        row = failed[0]
        message = row.get_attribute("data-message")
        self.assertNotEqual(row.find_element(By.CSS_SELECTOR, "td:nth-child(7)").text.strip(), "–", "the relay's answer is shown")
        admin.submit_with(f"#retry-{message}")
        self.assertEqual(admin.path, "/admin/outbox")
        self.assertIn("ponovo", admin.text("p.notice"))
        # Queued again, not lost, and the retry is in the audit log.
        self.assertTrue(admin.exists(f"#outbox tr[data-message='{message}'].outbox-queued"))
        self.assertIn("mail.retry", obuka("audit", "show", "--entity-type", "outbox", "--limit", "5"))

    def open_reset_link(self, b, link):
        path = urllib.parse.urlsplit(link).path
        b.get(path)
        self.assertEqual(b.last_status(), 200, path)
        return path

    def test_new_account_reset_links_and_disable_ends_session(self):
        login, password, second = "probni-koordinator", "prva-lozinka-123", "druga-lozinka-456"
        admin = self.signed_in("admin")
        self.assertEqual(admin.path, "/admin/accounts", "an administrator starts on the accounts")
        self.assertNotIn(login, accounts())

        # A new coordinator account from the page: it comes with a one-time link instead of a password.
        form = "form[action='/admin/accounts'] "
        admin.fill(form + "input[name=login]", login)
        admin.fill(form + "input[name=name]", "Probni Koordinator")
        admin.find(form + "input[name=role][value=coordinator]").click()
        admin.submit_with(form + "button[type=submit]")
        self.assertEqual(admin.last_status(), 200)
        self.assertIn("Račun je napravljen.", admin.text("p.notice"))
        first_link = admin.find("#reset-link code").text
        self.assertRegex(first_link, rf"^{re.escape(BASE_URL)}/reset/[A-Za-z0-9_-]{{20,}}$")
        self.assertIn("koordinator", admin.find(f"#accounts tr[data-login='{login}']").text)
        self.assertEqual(accounts()[login][0], "coordinator")

        # The person follows the link: a short or mismatched password is refused, then the link sets it, once.
        user = self.new_browser()
        path = self.open_reset_link(user, first_link)
        self.assertIn(login, user.find("main").text)
        user.driver.execute_script("document.querySelectorAll('input[minlength]').forEach(e => e.removeAttribute('minlength'))")
        user.fill("input[name=password]", "kratka1")
        user.fill("input[name=repeat]", "kratka1")
        user.submit_with("main form button[type=submit]")
        self.assertEqual(user.last_status(), 422)
        self.assertIn("najmanje 10 znakova", user.text("main .error"))
        user.fill("input[name=password]", password)
        user.fill("input[name=repeat]", password + "x")
        user.submit_with("main form button[type=submit]")
        self.assertEqual(user.last_status(), 422)
        self.assertIn("ne poklapaju", user.text("main .error"))
        user.fill("input[name=password]", password)
        user.fill("input[name=repeat]", password)
        user.submit_with("main form button[type=submit]")
        self.assertEqual(user.path, "/login")
        self.assertIn("Nova lozinka je postavljena", user.text("p.notice"))
        user.get(path)
        self.assertEqual(user.last_status(), 404, "a used link is gone")
        self.assertFalse(user.exists("input[name=password]"))
        self.signed_in(login, browser=user, password=password)
        self.assertEqual(user.path, "/cohorts")

        # "Link za novu lozinku" on the account's row: a new link; using it ends the open session and changes the password.
        admin.get("/admin/accounts")
        admin.submit_with(admin.find(f"#accounts tr[data-login='{login}'] form input[value=reset]")
                          .find_element("xpath", "..").find_element("css selector", "button[type=submit]"))
        second_link = admin.find("#reset-link code").text
        self.assertNotEqual(second_link, first_link)
        user.get("/cohorts")
        self.assertEqual(user.last_status(), 200, "still signed in")
        self.open_reset_link(user, second_link)
        user.fill("input[name=password]", second)
        user.fill("input[name=repeat]", second)
        user.submit_with("main form button[type=submit]")
        self.assertIn("Nova lozinka je postavljena", user.text("p.notice"))
        user.get("/cohorts")
        self.assertEqual(user.path, "/login", "a password reset ends the account's sessions")
        user.sign_in(login, password=password)
        self.assertEqual(user.last_status(), 401, "the old password no longer works")
        self.signed_in(login, browser=user, password=second)
        user.get(f"/cohorts/{FINISHED_COHORT}")
        self.assertEqual(user.last_status(), 200)

        # Disabling the account ends that open session at its next request.
        admin.get("/admin/accounts")
        admin.submit_with(f"#accounts tr[data-login='{login}'] button.disable")
        self.assertEqual(admin.path, "/admin/accounts")
        self.assertIn("Račun je izmijenjen.", admin.text("p.notice"))
        self.assertIn("onemogućen", admin.find(f"#accounts tr[data-login='{login}']").text)
        self.assertFalse(admin.find_all(f"#accounts tr[data-login='{login}'] button.disable"))
        self.assertRegex(obuka("account", "list"), rf"{login}\s.*onemogućen")
        user.get(f"/cohorts/{FINISHED_COHORT}")
        self.assertEqual(user.path, "/login", "the disabled account's open session has ended")
        user.sign_in(login, password=second)
        self.assertEqual(user.path, "/login")
        self.assertEqual(user.last_status(), 401, "a disabled account cannot sign in")
        user.get("/cohorts")
        self.assertEqual(user.path, "/login")

        # The audit log has it all, and its chain is intact.
        admin.get(f"/admin/audit?entity_type=account&entity_id={login}")
        self.assertIn("netaknuta", admin.text("#audit-verify"))
        actions = [row.find_elements("css selector", "td")[3].text for row in admin.find_all("#audit tbody tr")]
        for action in ("account.create", "account.reset_link", "account.password_reset", "account.disable"):
            self.assertIn(action, actions)
        self.assertEqual(actions.count("account.password_reset"), 2, actions)
        self.assertTrue(all(f"account {login}" == row.find_elements("css selector", "td")[4].text
                            for row in admin.find_all("#audit tbody tr")), "the filter shows only this account")


# --- QR check-in --------------------------------------------------------------------------------------------------

class CheckInFlows(RoleTest):

    @classmethod
    def setUpClass(cls):
        cls.session = checkin_session()
        cls.number = accounts()[TRAINEE][1]

    def read_code(self, coordinator):
        """(time read, URL printed on the coordinator's check-in screen, URL decoded from its QR image or None)."""
        for _ in range(5):
            try:
                coordinator.get(f"/sessions/{self.session}/checkin")
                read = time.monotonic()
                self.assertEqual(coordinator.last_status(), 200)
                printed = coordinator.text("#checkin-url")
                image = coordinator.find("#checkin-qr")
                WebDriverWait(coordinator.driver, 10).until(
                    lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))
                png = image.screenshot_as_png if ZBARIMG else None
                break
            except StaleElementReferenceException:
                continue  # the page renewed itself (its Refresh header) meanwhile
        else:
            self.fail("the check-in page kept reloading")
        decoded = None
        if png:
            with tempfile.NamedTemporaryFile(suffix=".png") as file:
                file.write(png)
                file.flush()
                decoded = subprocess.run([ZBARIMG, "-q", "--raw", file.name], capture_output=True, text=True).stdout.strip()
        return read, printed, decoded

    def scan(self, trainee, url):
        trainee.get(urllib.parse.urlsplit(url).path)
        return trainee.last_status(), trainee.text("#checkin-result") if trainee.exists("#checkin-result") else \
            trainee.find("main").text

    def attendance(self, coordinator):
        coordinator.get(f"/sessions/{self.session}")
        return (Select(coordinator.find(f"#status_{self.number}")).first_selected_option.get_attribute("value"),
                coordinator.find(f"#minutes_{self.number}").get_attribute("value"))

    def test_qr_checkin_marks_present_once(self):
        trainee = self.signed_in(TRAINEE)
        coordinator = self.signed_in("koordinator", browser=self.new_browser())
        status_before, _ = self.attendance(coordinator)
        self.assertNotIn(status_before, ("present", "late"), "not checked in yet")

        pattern = rf"^{re.escape(BASE_URL)}/checkin/{self.session}/[0-9a-f]{{16,}}$"
        for attempt in range(3):
            read, printed, decoded = self.read_code(coordinator)
            self.assertRegex(printed, pattern)
            if ZBARIMG:
                self.assertRegex(decoded, pattern, "the QR image holds the check-in URL")
            status, message = self.scan(trainee, decoded or printed)
            # Only a scan slower than a whole window may find the code expired; then read the screen again.
            if status == 410 and time.monotonic() - read >= CHECKIN_WINDOW and attempt < 2:
                continue
            break
        self.assertEqual(status, 200, message)
        self.assertRegex(message, r"Prijavljeni ste u \d\d:\d\d: prisutni\.")
        self.assertEqual(self.attendance(coordinator)[0], "present")
        sheet = obuka("attendance", "show", self.session)
        self.assertRegex(sheet, rf"{self.number}\s+.*prisutan/a\s+\d+\s+QR")

        # A second scan (a fresh code) records nothing new.
        _, printed, decoded = self.read_code(coordinator)
        status, message = self.scan(trainee, decoded or printed)
        self.assertEqual(status, 200, message)
        self.assertIn("Već ste prijavljeni na ovaj termin (prisutan/a)", message)
        self.assertEqual(obuka("attendance", "show", self.session), sheet)
        records = [line for line in obuka("audit", "show", "--entity-type", "session", "--entity", self.session,
                                          "--limit", "50").splitlines() if "attendance.record" in line]
        self.assertEqual(len(records), 1, records)

    def test_checkin_screen_and_expired_code(self):
        trainee = self.signed_in(TRAINEE)
        coordinator = self.signed_in("koordinator", browser=self.new_browser())
        sheet = obuka("attendance", "show", self.session)
        read, printed, _ = self.read_code(coordinator)

        # (While that code grows old.) The screen renews itself every window.
        status, headers, body = http_full("GET", f"/sessions/{self.session}/checkin", cookies=coordinator.cookies())
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Refresh"), str(CHECKIN_WINDOW))
        self.assertIn('id="checkin-qr"', body)
        image = re.search(r'<img src="([^"]+)"[^>]*id="checkin-qr"', body).group(1).replace("&amp;", "&")
        status, headers, svg = http_full("GET", image, cookies=coordinator.cookies())
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("Content-Type", "").startswith("image/svg+xml"))
        self.assertIn("<svg", svg)
        # Only a coordinator's screen: the trainee may not show it.
        trainee.get(f"/sessions/{self.session}/checkin")
        self.assertEqual(trainee.last_status(), 403)

        # The code's window and the one after it are over.
        time.sleep(max(0, read + 2 * CHECKIN_WINDOW + 1.5 - time.monotonic()))
        status, message = self.scan(trainee, printed)
        self.assertEqual(status, 410, message)
        self.assertIn("istekao", message)
        # A made-up code is refused the same way.
        status, message = self.scan(trainee, f"{BASE_URL}/checkin/{self.session}/00112233445566778899")
        self.assertEqual(status, 410, message)
        self.assertEqual(obuka("attendance", "show", self.session), sheet, "nothing recorded")


if __name__ == "__main__":
    unittest.main()
