"""The firewatch crawler: one generic Scrapy spider configured by YAML source files."""
