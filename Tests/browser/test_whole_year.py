"""The operations a coordinator and an administrator once needed the terminal for, now done in the browser: editing a
cohort, venues and the holiday calendar, correcting a score, the certificates register, loading a curriculum file,
erasing a person and changing an account's roles. Headless Chromium against a running `obuka serve` with the demo
data (Tests/browser/run); pages in Bosnian. Each test leaves the data as other tests expect it, or works on records
of its own.
"""

import pathlib
import re
import tempfile
import unittest

from selenium.webdriver.support.ui import Select

from browser import REPO, Browser, obuka


def normalized(text):
    return " ".join(text.split())


class WholeYearFlows(unittest.TestCase):
    def setUp(self):
        self.browser = Browser()
        self.addCleanup(self.browser.quit)

    def signed_in(self, login="koordinator"):
        b = self.browser.sign_in(login)
        self.assertNotEqual(b.path, "/login", f"{login} could not sign in")
        return b

    def test_edit_a_cohort_keeps_what_was_typed_and_refuses_fewer_places_than_taken(self):
        b = self.signed_in()
        b.get("/cohorts/DIJ-B")
        b.find("#edit-cohort").click()
        b.wait_ready()
        self.assertEqual(b.path, "/cohorts/DIJ-B/edit")
        taken = int(re.search(r"(\d+) od (\d+)", b.text("#cohort-summary")).group(1))
        self.assertGreater(taken, 1, "DIJ-B has people holding places")
        # Fewer places than people holding one: refused beside the field, everything typed kept.
        b.fill("input[name=name]", "Dijaspora 2022 – grupa B (izmijenjeno)")
        b.fill("input[name=capacity]", str(taken - 1))
        b.submit_with("#save-cohort")
        self.assertEqual(b.last_status(), 422)
        self.assertIn(f"({taken - 1})", b.text("#capacity-error"))
        self.assertEqual(b.find("input[name=name]").get_attribute("value"), "Dijaspora 2022 – grupa B (izmijenjeno)")
        self.assertEqual(b.find("input[name=capacity]").get_attribute("value"), str(taken - 1))
        # A last day before the first: the message names both days the District's way.
        b.set_value("input[name=ends]", "2020-01-01")
        b.fill("input[name=capacity]", str(taken + 5))
        b.submit_with("#save-cohort")
        self.assertEqual(b.last_status(), 422)
        self.assertIn("1. 1. 2020.", b.text("#ends-error"))
        # Valid: saved, and the cohort page and the command line show it.
        original_ends = obuka("cohort", "show", "DIJ-B").split("\n")[0].split("– ")[-1].strip()
        day, month, year = [int(x) for x in original_ends.rstrip(".").split(". ")]
        b.set_value("input[name=ends]", f"{year:04d}-{month:02d}-{day:02d}")
        b.submit_with("#save-cohort")
        self.assertEqual(b.path, "/cohorts/DIJ-B", b.find("main").text)
        self.assertIn("sačuvana", b.text("p.notice"))
        self.assertIn("(izmijenjeno)", b.text("h1"))
        self.assertIn(f"od {taken + 5}", b.text("#cohort-summary"))
        self.assertIn("cohort.edit", obuka("audit", "show", "--entity", "DIJ-B", "--entity-type", "cohort"))
        # Put the name back for the other tests.
        b.get("/cohorts/DIJ-B/edit")
        b.fill("input[name=name]", "Dijaspora 2022 – grupa B")
        b.submit_with("#save-cohort")
        self.assertEqual(b.path, "/cohorts/DIJ-B")

    def test_venues_and_the_holiday_calendar(self):
        b = self.signed_in()
        b.get("/cohorts/DIJ-B/sessions")
        b.find("a[href='/venues']").click()
        b.wait_ready()
        b.fill("#new-venue input[name=name]", "Sala za obuku 3")
        b.fill("#new-venue input[name=capacity]", "dvadeset")
        b.submit_with("#add-venue")
        self.assertEqual(b.last_status(), 422)
        self.assertTrue(b.text("#capacity-error"))
        self.assertEqual(b.find("#new-venue input[name=name]").get_attribute("value"), "Sala za obuku 3")
        b.fill("#new-venue input[name=capacity]", "24")
        b.submit_with("#add-venue")
        self.assertIn("dodano", b.text("p.notice"))
        self.assertIn("Sala za obuku 3 24", normalized(b.text("#venues")))
        self.assertIn("Sala za obuku 3", obuka("venue", "list"))

        b.get("/holidays?year=2027")
        table = normalized(b.text("#holidays"))
        self.assertIn("1. 1. 2027. Nova godina praznik Distrikta", table)
        b.set_value("#new-holiday input[name=date]", "2027-06-14")
        b.fill("#new-holiday input[name=name]", "Neradni dan po odluci Vlade")
        Select(b.find("#new-holiday select[name=kind]")).select_by_value("one_off")
        b.submit_with("#add-holiday")
        self.assertIn("dodan", b.text("p.notice"))
        row = [r for r in b.find_all("#holidays tbody tr") if "14. 6. 2027." in r.text][0]
        self.assertIn("odluka Vlade", row.text)
        self.assertIn("Neradni dan po odluci Vlade", obuka("holiday", "list", "--year", "2027"))
        b.submit_with(row.find_element("css selector", "button"))
        self.assertIn("uklonjen", b.text("p.notice"))
        self.assertNotIn("14. 6. 2027.", b.text("#holidays"))

    def test_correcting_a_score_uses_no_attempt_and_a_refusal_names_the_person(self):
        b = self.signed_in()
        b.get("/cohorts/DIJ-A/assessments/M3-T")
        row = None
        for candidate in b.find_all("table#scores tbody tr"):
            cells = candidate.find_elements("css selector", "td")
            if cells[2].text.strip():
                row = candidate
                break
        self.assertIsNotNone(row, "someone has a score to correct")
        number = row.get_attribute("data-person")
        name = row.find_elements("css selector", "td")[1].text
        attempts_before = [s for s in row.find_elements("css selector", "td")[2].text.split("·") if s.strip()]
        # Out of range: refused, the typed value kept, the problem in the row and named above.
        b.fill(f"#score_{number}", "500")
        b.submit_with("#save-scores")
        self.assertEqual(b.last_status(), 422)
        self.assertEqual(b.find(f"#score_{number}").get_attribute("value"), "500")
        self.assertTrue(b.text(f"#score-error-{number}"))
        self.assertIn(name, b.text("#score-errors"))
        # A correction of attempt 1: the count of attempts stays, the first score changes.
        b.fill(f"#score_{number}", "61,5")
        Select(b.find(f"#attempt_{number}")).select_by_value("1")
        b.submit_with("#save-scores")
        self.assertEqual(b.path, "/cohorts/DIJ-A/assessments/M3-T")
        self.assertIn("sačuvani", b.text("p.notice"))
        row = b.find(f"table#scores tbody tr[data-person='{number}']")
        attempts_after = [s.strip() for s in row.find_elements("css selector", "td")[2].text.split("·") if s.strip()]
        self.assertEqual(len(attempts_after), len(attempts_before))
        self.assertEqual(attempts_after[0], "61,5")
        self.assertIn("assessment.correct", obuka("audit", "show", "--entity-type", "enrolment", "--entity", f"DIJ-A/{number}"))

    def test_certificates_register_searches_and_filters(self):
        b = self.signed_in()
        b.get("/cohorts")
        b.find("nav a[href='/certificates']").click()
        b.wait_ready()
        self.assertEqual(b.path, "/certificates")
        rows = b.find_all("#certificate-register tbody tr")
        if not rows:
            # The demo issues none: the completers of DIJ-A get theirs, as a coordinator would issue them.
            obuka("certificate", "issue", "--cohort", "DIJ-A")
            b.get("/certificates")
            rows = b.find_all("#certificate-register tbody tr")
        self.assertTrue(rows, "DIJ-A's completers have certificates")
        holder = rows[0].find_elements("css selector", "td")[2].text
        family = holder.split()[-1]
        b.fill("#certificates-search", family.lower().translate(str.maketrans("čćđšž", "ccdsz")))
        b.submit_with("form[role=search] button[type=submit]")
        self.assertIn("q=", b.driver.current_url)
        self.assertTrue(all(family in r.text for r in b.find_all("#certificate-register tbody tr")))
        Select(b.find("#certificates-state")).select_by_value("revoked")
        b.submit_with("form[role=search] button[type=submit]")
        for r in b.find_all("#certificate-register tbody tr"):
            self.assertEqual(r.get_attribute("class"), "state-revoked")

    def test_every_cohorts_sessions_in_one_list_with_filters_kept_in_the_url(self):
        b = self.signed_in()
        b.get("/cohorts")
        b.find("nav a[href='/sessions']").click()
        b.wait_ready()
        self.assertEqual(b.path, "/sessions")
        self.assertEqual(Select(b.find("#sessions-when")).first_selected_option.get_attribute("value"), "upcoming")
        Select(b.find("#sessions-when")).select_by_value("all")
        b.submit_with("form[role=search] button[type=submit]")
        rows = b.find_all("#sessions-list tbody tr")
        self.assertTrue(rows, "the demo has sessions")
        everything = int(re.search(r"od ([\d.]+)", b.text("#sessions-count")).group(1).replace(".", ""))
        # One cohort's: every row names it, and the command line lists the same sessions.
        b.fill("input[name=cohort]", "DIJ-B")
        b.submit_with("form[role=search] button[type=submit]")
        self.assertIn("cohort=DIJ-B", b.driver.current_url)
        self.assertIn("when=all", b.driver.current_url)
        shown = [r.get_attribute("id")[1:] for r in b.find_all("#sessions-list tbody tr")]
        listed = [line.split()[0] for line in obuka("schedule", "list", "DIJ-B").splitlines()[2:] if line.strip()]
        self.assertEqual(shown, listed)
        self.assertLess(len(shown), everything)
        # A search by a cohort's name without its diacritics, then the order by cohort keeps the filters.
        b.get("/sessions?when=all")
        name = b.find_all("#sessions-list tbody tr td:nth-child(3)")[0].text
        word = max(name.split(), key=len)
        fold = str.maketrans("čćđšž", "ccdsz")
        b.fill("#sessions-search", word.lower().translate(fold))
        b.submit_with("form[role=search] button[type=submit]")
        # The name shown, and the code its link names (a search reads both).
        found = [cell.text + " " + cell.find_element("css selector", "a").get_attribute("href")
                 for cell in b.find_all("#sessions-list tbody tr td:nth-child(3)")]
        self.assertTrue(found)
        for cohort in found:
            self.assertIn(word.lower().translate(fold), cohort.lower().translate(fold), f"searched {word!r}")
        b.find("#sessions-list thead a[href*='sort=cohort']").click()
        b.wait_ready()
        self.assertIn("sort=cohort", b.driver.current_url)
        self.assertIn("q=", b.driver.current_url)
        # A day range: only sessions that start within it.
        b.get("/sessions?when=all&from=2022-01-01&to=2022-12-31")
        for cell in b.find_all("#sessions-list tbody tr td:nth-child(2)"):
            self.assertIn("2022.", cell.text)

    def test_required_training_rule_then_the_department_heads_gap_list(self):
        b = self.signed_in()
        b.get("/cohorts")
        b.find("nav a[href='/requirements']").click()
        b.wait_ready()
        self.assertEqual(b.path, "/requirements")
        self.assertTrue(b.find_all("#requirements tr[data-code='DIJ-EIMS']"), "the demo declares DIJ-EIMS")
        # Neither days nor a date: refused beside the field, everything typed kept.
        b.fill("#requirement-form input[name=code]", "ref-2027")
        b.find("#requirement-form input[name=scope][value=job_title]").click()
        b.fill("#requirement-form input[name=job_title]", "referent")
        b.submit_with("#save-requirement")
        self.assertEqual(b.last_status(), 422)
        self.assertTrue(b.text("#days-error"))
        self.assertEqual(b.find("#requirement-form input[name=code]").get_attribute("value"), "ref-2027")
        self.assertTrue(b.find("#requirement-form input[name=scope][value=job_title]").is_selected())
        b.set_value("#requirement-form input[name=by]", "2027-12-31")
        b.submit_with("#save-requirement")
        self.assertEqual(b.path, "/requirements")
        self.assertIn("sačuvano", b.text("p.notice"))
        self.assertIn("31. 12. 2027.", b.text("#requirements tr[data-code='REF-2027']"))
        # The department head of the demo sees their own department's gaps from their page, and no other's.
        b.sign_out()
        head = self.signed_in("rukovodilac")
        department = head.path.rstrip("/").split("/")[-1] if head.path.startswith("/department/") else None
        if department is None:
            department = head.find("nav a[href^='/department/']").get_attribute("href").rstrip("/").split("/")[-1]
        head.get(f"/department/{department}")
        head.find("#department-gaps").click()
        head.wait_ready()
        self.assertEqual(head.path, f"/department/{department}/gaps")
        self.assertTrue(head.text("#gap-summary"))
        other = "EIMS" if department != "EIMS" else "DF"
        head.get(f"/department/{other}/gaps")
        self.assertIn(head.last_status(), (403, 404))

    def test_needs_to_plan_to_cohort_to_realisation(self):
        # The department head nominates two people for next year.
        head = self.signed_in("rukovodilac")
        department = head.find("nav a[href^='/department/']").get_attribute("href").rstrip("/").split("/")[-1]
        head.get(f"/department/{department}")
        head.find("#department-needs").click()
        head.wait_ready()
        self.assertTrue(head.path.startswith(f"/department/{department}/needs"))
        # The department's other people are folded away below those lacking required training.
        if head.exists("#need-form details:not([open])"):
            head.find("#need-form details summary").click()
        boxes = head.find_all("#need-form input[name=person]")
        self.assertGreaterEqual(len(boxes), 2, "the department has people to nominate")
        chosen = [boxes[0].get_attribute("value"), boxes[1].get_attribute("value")]
        for box in boxes[:2]:
            box.click()
        Select(head.find("#need-program")).select_by_value("dijaspora-2022")
        head.fill("#need-form textarea[name=reason]", "Rad sa dijasporom od iduće godine")
        head.submit_with("#propose-need")
        self.assertIn("sačuvan", head.text("p.notice"))
        year = head.driver.current_url.split("year=")[1].split("&")[0]
        head.sign_out()

        # The coordinator turns it into a plan line and approves the plan.
        b = self.signed_in()
        b.get(f"/plan?year={year}")
        self.assertIn(department, b.text("#plan-needs"))
        Select(b.find("#plan-item-form select[name=program]")).select_by_value("dijaspora-2022")
        Select(b.find("#plan-item-form select[name=quarter]")).select_by_value("1")
        b.fill("#plan-item-form input[name=places]", f"{department}=x")
        b.fill("#plan-item-form input[name=participant_hours]", "48")
        b.fill("#plan-item-form input[name=cost]", "1200,50")
        b.submit_with("#add-plan-item")
        self.assertEqual(b.last_status(), 422)
        self.assertTrue(b.text("#places-error"))
        self.assertEqual(b.find("#plan-item-form input[name=participant_hours]").get_attribute("value"), "48")
        b.fill("#plan-item-form input[name=places]", f"{department}=2")
        b.submit_with("#add-plan-item")
        self.assertIn("dodana", b.text("p.notice"))
        self.assertIn("1.200,50 KM", b.text("#plan-items"))
        b.fill("#approve input[name=decision_number]", "01-02-300/26")
        b.set_value("#approve input[name=decision_date]", "2026-12-20")
        b.find("#approve input[name=confirm]").click()
        b.submit_with("#approve-plan")
        self.assertIn("usvojen", b.text("#plan-heading"))
        self.assertFalse(b.exists("#plan-item-form"), "an approved plan takes no more items")

        # A cohort in the first quarter delivers the line, and offers the two nominated people first.
        code = "PLAN-" + year[-2:]
        b.get("/cohorts")
        b.fill("#new-cohort input[name=code]", code)
        b.fill("#new-cohort input[name=name]", "Dijaspora – plan " + year)
        Select(b.find("#new-cohort select[name=program]")).select_by_value("dijaspora-2022")
        b.set_value("#new-cohort input[name=starts]", f"{year}-01-11")
        b.set_value("#new-cohort input[name=ends]", f"{year}-02-26")
        b.fill("#new-cohort input[name=capacity]", "10")
        b.submit_with("#new-cohort button[type=submit]")
        b.get(f"/cohorts/{code}")
        Select(b.find("#plan-item-choice")).select_by_index(1)
        b.submit_with("#link-plan-item")
        self.assertTrue(b.text("#plan-link"))
        # Every department's nominees for the program are offered, ticked; this test enrols the two of its head only.
        offered = b.find_all("#nominees-form input[name=person]")
        self.assertTrue(set(chosen) <= {box.get_attribute("value") for box in offered})
        for box in offered:
            if box.get_attribute("value") not in chosen:
                box.click()
        b.submit_with("#enrol-nominees")
        enrolled = b.text("#enrolled")
        for number in chosen:
            self.assertIn(number, enrolled)

        # The cohort's first session runs in January and both attend it: recorded with the clock of that day, as the
        # server's clock stands in the autumn before.
        session = re.search(r"Zakazan termin (\d+)", obuka("schedule", "add", code, "--module", "M1", "--date", f"{year}-01-12",
                                                            "--from", "09:00", "--to", "11:00")).group(1)
        obuka("attendance", "bulk", session, now=f"{year}-01-12 11:30")

        # The realisation report of the year counts them on the plan's line (2 places, 2 × 2 participant-hours) and for
        # the department.
        b.get(f"/reports/plan?year={year}")
        text = normalized(b.find("body").text)
        self.assertIn(code, text)
        self.assertRegex(text, rf"dijaspora-2022 Q1 2 2 0 48 4 ")
        # Planned 2; delivered counts every cohort of the year (other tests make some); both nominees got a place.
        self.assertRegex(text, rf"{department} 2 \d+ \d+ 2 2 ")

    def test_curriculum_file_checked_then_refused_with_every_problem(self):
        b = self.signed_in()
        b.get("/programs")
        b.find("#curriculum-upload input[type=file]").send_keys(str(REPO / "Curriculum" / "dijaspora-2022.xml"))
        b.submit_with("#check-curriculum")
        self.assertEqual(b.last_status(), 200)
        self.assertIn("dijaspora-2022", b.text("#upload-result"))
        with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as broken:
            broken.write('<?xml version="1.0"?><program xmlns="urn:obuka:curriculum:1"><title>Bez modula</title></program>')
        b.find("#curriculum-upload input[type=file]").send_keys(broken.name)
        b.submit_with("#load-curriculum")
        self.assertEqual(b.last_status(), 422)
        problems = b.text("#upload-problems")
        self.assertIn(pathlib.Path(broken.name).name, problems)
        self.assertIn("ništa nije", problems.lower())

    def test_erasing_a_person_asks_for_their_number(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as people:
            people.write("personal_number;given_name;family_name;sex;email;department;job_title\n"
                         "9301;Brisana;Osobić;Ž;brisana.osobic@uprava.example;JR;referent\n")
        obuka("people", "import", people.name)
        admin = self.signed_in("admin")
        admin.get("/admin/privacy")
        admin.fill("input[name=person]", "9301")
        admin.submit_with("form[action='/admin/privacy'] button")
        self.assertEqual(admin.path, "/admin/privacy/9301")
        self.assertIn("Osobić", admin.text("#privacy-person h2"))
        admin.fill("#erase-form input[name=confirm]", "9302")
        admin.submit_with("#erase")
        self.assertEqual(admin.last_status(), 422)
        self.assertIn("9301", admin.text("#confirm-error"))
        self.assertIn("Osobić", obuka("people", "show", "9301"))
        admin.fill("#erase-form input[name=confirm]", "9301")
        admin.submit_with("#erase")
        self.assertEqual(admin.path, "/admin/privacy")
        self.assertIn("izbrisani", admin.text("p.notice"))
        self.assertNotIn("Osobić", obuka("people", "show", "9301", check=False))
        self.assertIn("person.erase", obuka("audit", "show", "--limit", "5"))

    def test_an_accounts_roles_change_from_its_row(self):
        login = "uloge-probni"
        if login not in obuka("account", "list"):
            obuka("account", "add", login, "--name", "Uloge Probni", "--role", "coordinator", input="dugacka-lozinka-123\n")
        admin = self.signed_in("admin")
        admin.get("/admin/accounts")
        row = admin.find(f"#accounts tr[data-login='{login}']")
        row.find_element("css selector", "details:last-of-type summary").click()
        form = row.find_element("css selector", "form.stack")
        form.find_element("css selector", "input[name=role][value=department_head]").click()
        Select(form.find_element("css selector", "select[name=department]")).select_by_value("JR")
        admin.submit_with(form.find_element("css selector", "button[type=submit]"))
        listed = [line for line in obuka("account", "list").split("\n") if line.startswith(login)][0]
        self.assertIn("department_head", listed)
        self.assertIn("JR", listed)


if __name__ == "__main__":
    unittest.main()
