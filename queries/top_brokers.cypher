// name: top_brokers
// description: The ties of a time window; graphkit ranks their brokers by betweenness.
// param as_of: DATE  end of the window
// param window_start: DATE  deals announced after this date
MATCH (a:Organization)-[:PARTY_TO]->(d:Deal)<-[:PARTY_TO]-(b:Organization)
WHERE a.id < b.id AND d.date IS NOT NULL AND d.date <= $as_of AND d.date > $window_start
  AND (d.ended IS NULL OR d.ended >= $as_of)
RETURN a.id AS a, b.id AS b, a.name AS a_name, b.name AS b_name, sum(d.weight) AS weight
ORDER BY a, b
