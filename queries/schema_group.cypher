// name: schema_group
// description: Group (known bloc) names are unique.
CREATE CONSTRAINT graphkit_group_name IF NOT EXISTS
FOR (g:Group) REQUIRE g.name IS UNIQUE
