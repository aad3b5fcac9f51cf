int rowan_net_placeholder(void); int rowan_net_placeholder(void) { return 0; }
