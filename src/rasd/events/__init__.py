"""PLOVER events: triggers (lexicon), arguments (actor, target, place, time) and status."""
