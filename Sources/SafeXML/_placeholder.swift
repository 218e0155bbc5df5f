enum _PlaceholderSafeXML {}
