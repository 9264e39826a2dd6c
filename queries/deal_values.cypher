// name: deal_values
// description: The deal types and statuses stored, to match filters by graphkit's rules.
MATCH (d:Deal)
RETURN collect(DISTINCT d.type) AS types, collect(DISTINCT d.status) AS statuses
