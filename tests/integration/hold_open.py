#!/usr/bin/python3
"""Holds one file open on an SMB server with a chosen access, until standard input ends.

    hold_open.py HOST PORT USER PASSWORD SHARE PATH read|write

Prints "held FILEID" once the open exists, then waits; closes the file and logs off at end of
input. The open-file tests use it for a read-only open, which smbclient cannot hold.
"""
import sys

from impacket.smb3structs import (FILE_OPEN, FILE_READ_DATA, FILE_SHARE_READ, FILE_SHARE_WRITE,
                                  FILE_WRITE_DATA)
from impacket.smbconnection import SMBConnection


def main():
    host, port, user, password, share, path, access = sys.argv[1:8]
    desired = FILE_READ_DATA if access == "read" else FILE_READ_DATA | FILE_WRITE_DATA
    connection = SMBConnection(host, host, sess_port=int(port), timeout=20)
    connection.login(user, password)
    tree = connection.connectTree(share)
    file_id = connection.openFile(tree, path, desiredAccess=desired,
                                  shareMode=FILE_SHARE_READ | FILE_SHARE_WRITE,
                                  creationOption=0, creationDisposition=FILE_OPEN)
    print("held", file_id, flush=True)
    sys.stdin.read()
    connection.closeFile(tree, file_id)
    connection.logoff()


if __name__ == "__main__":
    main()
