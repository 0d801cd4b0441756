"""The bundled demo site: fictional sources in the styles of real ones, served on loopback, so
`firewatch demo` and the tests can crawl something realistic without the internet."""
