"""Working days and deadlines (R-01 to R-04). `deadlines` is pure: no database, no HTTP;
`router` only exposes it so clients show the same due times as the service."""
