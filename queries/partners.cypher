// name: partners
// description: Partners of an organisation, with deal counts and first and last years.
// param org: STRING  organisation id
MATCH (o:Organization {id: $org})-[:PARTY_TO]->(d:Deal)<-[:PARTY_TO]-(p:Organization)
WHERE p <> o
RETURN p.id AS id, p.name AS name, sum(d.count) AS deals,
       min(d.date.year) AS first_year, max(d.date.year) AS last_year
ORDER BY deals DESC, id
