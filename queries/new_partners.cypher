// name: new_partners
// description: Partners whose first deal with an organisation was announced on or after a date.
// param org: STRING  organisation id
// param since: DATE  first date counted as new
MATCH (o:Organization {id: $org})-[:PARTY_TO]->(d:Deal)<-[:PARTY_TO]-(p:Organization)
WHERE p <> o AND d.date IS NOT NULL
WITH p, min(d.date) AS first_deal, sum(d.count) AS deals
WHERE first_deal >= $since
RETURN p.id AS id, p.name AS name, first_deal, deals
ORDER BY first_deal, id
