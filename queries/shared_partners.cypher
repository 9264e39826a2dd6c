// name: shared_partners
// description: Partners two organisations share, with each one's deal count.
// param a: STRING  first organisation id
// param b: STRING  second organisation id
MATCH (x:Organization {id: $a})-[:PARTY_TO]->(da:Deal)<-[:PARTY_TO]-(p:Organization)
WHERE p.id <> $a AND p.id <> $b
WITH p, sum(da.count) AS deals_with_a
MATCH (y:Organization {id: $b})-[:PARTY_TO]->(db:Deal)<-[:PARTY_TO]-(p)
RETURN p.id AS id, p.name AS name, deals_with_a, sum(db.count) AS deals_with_b
ORDER BY deals_with_a + deals_with_b DESC, id
