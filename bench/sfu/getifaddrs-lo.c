/*
 * LD_PRELOAD shim for Janus in bench/sfu.sh: getifaddrs() lists one interface, 127.0.0.1, so that Janus (libnice)
 * gathers host candidates on loopback only. Janus 1.1.2 skips interfaces flagged IFF_LOOPBACK even when
 * ice_enforce_list names "lo", so the entry is reported as an ordinary up interface named "benchlo".
 * Loaded into Janus alone (never into the load generators).
 */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

struct loopback_entry {
    struct ifaddrs entry; /* first member: freeifaddrs() frees the whole block */
    struct sockaddr_in address;
    struct sockaddr_in netmask;
    char name[IFNAMSIZ];
};

int getifaddrs(struct ifaddrs **result)
{
    struct loopback_entry *block = calloc(1, sizeof *block);
    if (block == NULL) {
        return -1;
    }
    strcpy(block->name, "benchlo");
    block->address.sin_family = AF_INET;
    block->address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    block->netmask.sin_family = AF_INET;
    block->netmask.sin_addr.s_addr = htonl(0xff000000u);
    block->entry.ifa_next = NULL;
    block->entry.ifa_name = block->name;
    block->entry.ifa_flags = IFF_UP | IFF_RUNNING;
    block->entry.ifa_addr = (struct sockaddr *)&block->address;
    block->entry.ifa_netmask = (struct sockaddr *)&block->netmask;
    *result = &block->entry;
    return 0;
}

void freeifaddrs(struct ifaddrs *list)
{
    free(list);
}
