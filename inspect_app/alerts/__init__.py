"""Heavy-pollution alerts (重污染天气预警, plan clause 14): declared, extended, lifted and corrected."""
