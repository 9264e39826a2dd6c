// name: project_organizations
// description: Properties of the given organisations.
// param ids: LIST<STRING>  organisation ids
MATCH (o:Organization)
WHERE o.id IN $ids
RETURN o.id AS id, properties(o) AS properties
