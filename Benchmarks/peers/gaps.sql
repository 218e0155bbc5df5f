-- The gap list of one department straight from the ledgers, the naive way: every person of the department against every
-- rule in effect, each certificate and place looked up per pair. Parameters: :department, :today.
WITH newest AS (
    SELECT r.* FROM training_requirement r
    WHERE r.effective_from <= :today AND NOT EXISTS (
        SELECT 1 FROM training_requirement later WHERE later.code = r.code AND later.effective_from <= :today
          AND (later.effective_from, later.version) > (r.effective_from, r.version))
), rules AS (SELECT * FROM newest WHERE NOT retired),
pairs AS (
    SELECT p.id AS person_id, p.personal_number, p.family_name, p.given_name, r.code, r.program_id, r.renew_years,
           CASE WHEN r.due_date IS NOT NULL THEN r.due_date
                WHEN p.employed_since IS NOT NULL THEN date(p.employed_since, '+' || r.due_days || ' days') END AS due
    FROM person p JOIN rules r
    WHERE p.department = :department AND p.erased_at IS NULL
      AND (r.scope = 'everyone' OR (r.scope = 'department' AND r.scope_value = p.department)
           OR (r.scope = 'job_title' AND lower(p.job_title) LIKE '%' || lower(r.scope_value) || '%'))
)
SELECT personal_number, family_name, given_name, code, due,
    CASE WHEN due IS NULL THEN 'start_date_unknown'
         WHEN EXISTS (SELECT 1 FROM certificate c JOIN cohort co ON co.id = c.cohort_id
                      WHERE c.person_id = pairs.person_id AND co.program_id = pairs.program_id AND c.revoked_at IS NULL
                        AND substr(c.issued_at, 1, 10) <= max(due, :today)
                        AND coalesce(c.expires_at, date(substr(c.issued_at, 1, 10), '+' || renew_years || ' years'), '9999')
                            >= max(due, :today)) THEN 'met'
         WHEN :today > due THEN 'overdue'
         WHEN EXISTS (SELECT 1 FROM enrolment e JOIN cohort co ON co.id = e.cohort_id
                      WHERE e.person_id = pairs.person_id AND co.program_id = pairs.program_id
                        AND e.status = 'approved' AND co.ends BETWEEN :today AND due) THEN 'in_progress'
         ELSE 'missing' END AS state
FROM pairs ORDER BY family_name, given_name, code;
