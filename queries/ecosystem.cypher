// name: ecosystem
// description: Organisations within a number of ties of an organisation (at most 15).
// param org: STRING  organisation id
// param hops: INTEGER  ties away, 1 to 15
MATCH (o:Organization {id: $org})
MATCH p = shortestPath((o)-[:PARTNERS_WITH*..15]-(x:Organization))
WHERE x <> o
WITH x, length(p) AS hops
WHERE hops <= $hops
RETURN x.id AS id, x.name AS name, hops
ORDER BY hops, id
