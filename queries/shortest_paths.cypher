// name: shortest_paths
// description: Every shortest partnership path between two organisations (fewest ties).
// param a: STRING  first organisation id
// param b: STRING  second organisation id
MATCH (x:Organization {id: $a})
MATCH p = allShortestPaths((x)-[:PARTNERS_WITH*..15]-(y:Organization {id: $b}))
WITH [n IN nodes(p) | n.id] AS path, [n IN nodes(p) | coalesce(n.name, n.id)] AS names
RETURN path, names, size(path) - 1 AS ties
ORDER BY path
