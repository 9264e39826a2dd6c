// name: project_ties
// description: The partner graph's ties under the time, type and status filters.
// param as_of: DATE  deals in force on this date (null: no date filter)
// param window_start: DATE  deals announced after this date (null: no window)
// param types: LIST<STRING>  deal types to keep, as stored (null: all)
// param statuses: LIST<STRING>  statuses to keep, as stored (null: all)
MATCH (a:Organization)-[:PARTY_TO]->(d:Deal)<-[:PARTY_TO]-(b:Organization)
WHERE a.id < b.id
  AND ($types IS NULL OR d.type IN $types)
  AND ($statuses IS NULL OR d.status IN $statuses)
  AND ($as_of IS NULL OR (d.date IS NOT NULL AND d.date <= $as_of
                          AND (d.ended IS NULL OR d.ended >= $as_of)))
  AND ($window_start IS NULL OR d.date > $window_start)
RETURN a.id AS a, b.id AS b, sum(d.count) AS deals, sum(d.weight) AS weight,
       collect(d.id) AS deal_ids, collect(DISTINCT d.type) AS types,
       min(d.date.year) AS first_year, max(d.date.year) AS last_year
ORDER BY a, b
