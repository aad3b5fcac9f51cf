/* config: placeholder until the rc-file module lands. */
