"""What the enquiries service reads from outside its database: the questionnaire definitions on disk."""
