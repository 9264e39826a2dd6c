// name: groups
// description: The names of the known groupings (such as alliances), to match one by name.
MATCH (g:Group)
RETURN g.name AS name
ORDER BY name
