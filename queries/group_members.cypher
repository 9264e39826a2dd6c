// name: group_members
// description: Members of a known grouping (such as an alliance) on a date.
// param group: STRING  group name
// param as_of: DATE  date of membership
MATCH (o:Organization)-[m:MEMBER_OF]->(g:Group {name: $group})
WHERE m.start <= $as_of AND (m.end IS NULL OR m.end >= $as_of)
RETURN o.id AS id, o.name AS name, m.role AS role, m.start AS start, m.end AS end
ORDER BY id, start
