-- The realisation of a year's plan straight from the ledgers, the naive way: the newest approved plan's lines, each with the
-- places, completions and hours of the cohorts delivering it (hours summed over the attendance ledger), its cost; then per
-- department planned, delivered and completed places and the nominated people served; then the cohorts outside the
-- plan. Parameter: :year.
WITH plan AS (
    SELECT year, version FROM training_plan WHERE year = :year AND approved_at IS NOT NULL ORDER BY version DESC LIMIT 1
), items AS (
    SELECT i.* FROM plan_item i JOIN plan USING (year, version)
), delivered AS (
    SELECT c.id, c.code, c.program_id, c.actual_cost_fenings,
           CASE WHEN li.year = :year THEN li.program_id || '/' || li.quarter END AS plan_key
    FROM cohort c LEFT JOIN plan_item li ON li.id = c.plan_item_id
    WHERE substr(c.starts, 1, 4) = CAST(:year AS TEXT) OR li.year = :year
), held AS (
    SELECT d.id AS cohort_id, d.plan_key, e.person_id, e.department_at_enrolment AS department, e.status
    FROM delivered d JOIN enrolment e ON e.cohort_id = d.id WHERE e.status IN ('approved', 'completed')
)
SELECT i.program_id, i.quarter, i.cohorts,
    (SELECT SUM(places) FROM plan_item_places WHERE item_id = i.id) AS planned,
    (SELECT COUNT(*) FROM held h WHERE h.plan_key = i.program_id || '/' || i.quarter) AS delivered,
    (SELECT COUNT(*) FROM held h WHERE h.plan_key = i.program_id || '/' || i.quarter AND h.status = 'completed') AS completions,
    i.participant_hours,
    (SELECT SUM(a.minutes_present) / 60.0 FROM held h JOIN session s ON s.cohort_id = h.cohort_id
        JOIN attendance a ON a.session_id = s.id AND a.person_id = h.person_id AND a.current
        WHERE h.plan_key = i.program_id || '/' || i.quarter) AS hours,
    i.cost_fenings,
    (SELECT SUM(d.actual_cost_fenings) FROM delivered d WHERE d.plan_key = i.program_id || '/' || i.quarter) AS actual
FROM items i ORDER BY i.program_id, i.quarter;

WITH plan AS (
    SELECT year, version FROM training_plan WHERE year = :year AND approved_at IS NOT NULL ORDER BY version DESC LIMIT 1
), delivered AS (
    SELECT c.id, c.program_id FROM cohort c LEFT JOIN plan_item li ON li.id = c.plan_item_id
    WHERE substr(c.starts, 1, 4) = CAST(:year AS TEXT) OR li.year = :year
), departments AS (
    SELECT department FROM plan_item_places pp JOIN plan_item i ON i.id = pp.item_id JOIN plan USING (year, version)
    UNION SELECT e.department_at_enrolment FROM enrolment e JOIN delivered d ON d.id = e.cohort_id WHERE e.status IN ('approved', 'completed')
    UNION SELECT department FROM training_need WHERE year = :year AND withdrawn_at IS NULL
)
SELECT dp.department,
    (SELECT COALESCE(SUM(pp.places), 0) FROM plan_item_places pp JOIN plan_item i ON i.id = pp.item_id JOIN plan USING (year, version)
        WHERE pp.department = dp.department) AS planned,
    (SELECT COUNT(*) FROM enrolment e JOIN delivered d ON d.id = e.cohort_id
        WHERE e.department_at_enrolment = dp.department AND e.status IN ('approved', 'completed')) AS delivered,
    (SELECT COUNT(*) FROM enrolment e JOIN delivered d ON d.id = e.cohort_id
        WHERE e.department_at_enrolment = dp.department AND e.status = 'completed') AS completions,
    (SELECT COUNT(*) FROM training_need n JOIN training_need_person np ON np.need_id = n.id
        WHERE n.year = :year AND n.withdrawn_at IS NULL AND n.department = dp.department) AS nominated,
    (SELECT COUNT(*) FROM training_need n JOIN training_need_person np ON np.need_id = n.id
        WHERE n.year = :year AND n.withdrawn_at IS NULL AND n.department = dp.department AND EXISTS (
            SELECT 1 FROM enrolment e JOIN delivered d ON d.id = e.cohort_id
            WHERE e.person_id = np.person_id AND d.program_id = n.program_id AND e.status IN ('approved', 'completed'))) AS served
FROM departments dp ORDER BY dp.department;

WITH delivered AS (
    SELECT c.id, c.code, c.actual_cost_fenings, li.year AS item_year FROM cohort c LEFT JOIN plan_item li ON li.id = c.plan_item_id
    WHERE substr(c.starts, 1, 4) = CAST(:year AS TEXT) OR li.year = :year
)
SELECT d.code, (SELECT COUNT(*) FROM enrolment e WHERE e.cohort_id = d.id AND e.status IN ('approved', 'completed')),
    (SELECT SUM(a.minutes_present) FROM session s JOIN attendance a ON a.session_id = s.id AND a.current
        JOIN enrolment e ON e.cohort_id = s.cohort_id AND e.person_id = a.person_id AND e.status IN ('approved', 'completed')
        WHERE s.cohort_id = d.id), d.actual_cost_fenings
FROM delivered d WHERE d.item_year IS NOT :year ORDER BY d.code;
