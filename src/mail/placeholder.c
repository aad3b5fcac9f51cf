int rowan_mail_placeholder(void); int rowan_mail_placeholder(void) { return 0; }
