enum _PlaceholderCurriculumXML {}
