int rowan_config_placeholder(void); int rowan_config_placeholder(void) { return 0; }
