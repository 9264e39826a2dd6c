// name: market_overlap
// description: How far two airlines serve the same airport-pair markets.
// param a: STRING  first airline id
// param b: STRING  second airline id
OPTIONAL MATCH (:Organization {id: $a})-[:SERVES]->(ma:Market)
WITH collect(DISTINCT ma.id) AS am
OPTIONAL MATCH (:Organization {id: $b})-[:SERVES]->(mb:Market)
WITH am, collect(DISTINCT mb.id) AS bm
WITH am, bm, size([m IN am WHERE m IN bm]) AS shared
RETURN shared, size(am) AS a_markets, size(bm) AS b_markets,
       CASE WHEN size(am) + size(bm) = shared THEN 0.0
            ELSE toFloat(shared) / (size(am) + size(bm) - shared) END AS jaccard,
       CASE WHEN size(am) = 0 OR size(bm) = 0 THEN 0.0
            ELSE toFloat(shared) / CASE WHEN size(am) < size(bm) THEN size(am)
                                        ELSE size(bm) END END AS overlap
