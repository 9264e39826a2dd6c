// name: server_version
// description: The server's version and edition, checked when graphkit connects.
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions, edition
