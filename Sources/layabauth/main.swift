print("layabauth")
