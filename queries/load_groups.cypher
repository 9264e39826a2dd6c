// name: load_groups
// description: Known blocs and membership periods.
// param rows: LIST<MAP>  {org, group, role, start, end}
UNWIND $rows AS row
MERGE (g:Group {name: row.group})
WITH g, row
MATCH (o:Organization {id: row.org})
MERGE (o)-[m:MEMBER_OF {start: date(row.start)}]->(g)
SET m.role = row.role, m.end = CASE WHEN row.end IS NULL THEN null ELSE date(row.end) END
