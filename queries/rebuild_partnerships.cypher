// name: rebuild_partnerships
// description: PARTNERS_WITH ties of the given organisations recomputed from their deals.
// param ids: LIST<STRING>  organisations whose ties to recompute
// Every tie runs from the smaller id (a.id < b.id), the direction MERGE matches, so a
// reload never adds a reverse copy; figures are set from all the pair's deals, whatever
// file they came from.
UNWIND $ids AS id
MATCH (x:Organization {id: id})-[:PARTY_TO]->(d:Deal)<-[:PARTY_TO]-(y:Organization)
WITH DISTINCT CASE WHEN x.id < y.id THEN x ELSE y END AS a,
     CASE WHEN x.id < y.id THEN y ELSE x END AS b, d
WITH a, b, sum(d.count) AS deals, sum(d.weight) AS weight,
     min(d.date.year) AS first_year, max(d.date.year) AS last_year,
     collect(DISTINCT d.type) AS types
MERGE (a)-[t:PARTNERS_WITH]->(b)
SET t.deals = deals, t.weight = weight, t.first_year = first_year,
    t.last_year = last_year, t.types = types
