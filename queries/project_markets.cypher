// name: project_markets
// description: Markets each organisation serves.
MATCH (o:Organization)-[s:SERVES]->(m:Market)
RETURN o.id AS org_id, m.id AS market, s.routes AS routes,
       s.codeshare_routes AS codeshare_routes, s.seats AS seats, s.frequency AS frequency
