"""Chinese OCR of scanned records (issue 15): engines, the queue, the text layer."""
