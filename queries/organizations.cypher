// name: organizations
// description: Every organisation's id, name and other spellings, to find one by name.
MATCH (o:Organization)
RETURN o.id AS id, o.name AS name, o.aliases AS aliases
ORDER BY id
