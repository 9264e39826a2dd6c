// name: ecosystem
// description: Organisations within a number of ties of an organisation (at most 15).
// param org: STRING  organisation id
// param hops: INTEGER  ties away, 1 to 15
// One breadth-first search from the organisation to every other (Neo4j 5.21+ shortest
// path selector with an unbound end node); the bound of a quantifier must be a literal,
// so the search stops at 15 and the hops parameter filters the lengths.
MATCH (o:Organization {id: $org})
MATCH p = ANY SHORTEST (o)-[:PARTNERS_WITH]-{1,15}(x:Organization)
WHERE x <> o
WITH x, length(p) AS hops
WHERE hops <= $hops
RETURN x.id AS id, x.name AS name, hops
ORDER BY hops, id
