// name: rival_bridges
// description: Organisations partnering with both of two rivals in a time window.
// param a: STRING  first rival id
// param b: STRING  second rival id
// param as_of: DATE  end of the window
// param window_start: DATE  deals announced after this date
MATCH (x:Organization {id: $a})-[:PARTY_TO]->(da:Deal)<-[:PARTY_TO]-(p:Organization)
WHERE p.id <> $b AND da.date IS NOT NULL AND da.date <= $as_of AND da.date > $window_start
  AND (da.ended IS NULL OR da.ended >= $as_of)
WITH p, sum(da.count) AS deals_with_a
MATCH (y:Organization {id: $b})-[:PARTY_TO]->(db:Deal)<-[:PARTY_TO]-(p)
WHERE db.date IS NOT NULL AND db.date <= $as_of AND db.date > $window_start
  AND (db.ended IS NULL OR db.ended >= $as_of)
WITH p, deals_with_a, sum(db.count) AS deals_with_b
RETURN p.id AS id, p.name AS name, deals_with_a, deals_with_b
ORDER BY CASE WHEN deals_with_a < deals_with_b THEN deals_with_a ELSE deals_with_b END DESC,
         id
