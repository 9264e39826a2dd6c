// name: project_groups
// description: Every membership period of every known bloc.
MATCH (o:Organization)-[m:MEMBER_OF]->(g:Group)
RETURN o.id AS org_id, g.name AS group, m.role AS role, m.start AS start, m.end AS end
