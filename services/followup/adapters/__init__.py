"""What follow-up uses outside its own database and broker: the image file store and file inspection."""
