#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A reader of fitcheck's TensorBoard event files that shares no code with it: Google's protobuf
# library (python3-protobuf) decodes each record as TensorBoard's Event message (field numbers
# from tensorboard/compat/proto/event.proto and summary.proto), a CRC-32C written here from the
# specification checks each record's framing, and the scalars are compared with the history that
# tensorboard_export wrote.
#   tensorboard_read.py <dir holding logs/ and history.txt>
import os
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto


def event_class():
    proto = descriptor_pb2.FileDescriptorProto(name="tb_check.proto", package="tensorboard",
                                               syntax="proto3")

    def field(message, name, number, kind, label=F.LABEL_OPTIONAL, type_name=None):
        f = message.field.add(name=name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name

    summary = proto.message_type.add(name="Summary")
    value = summary.nested_type.add(name="Value")
    field(value, "tag", 1, F.TYPE_STRING)
    field(value, "simple_value", 2, F.TYPE_FLOAT)
    field(summary, "value", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".tensorboard.Summary.Value")
    session = proto.message_type.add(name="SessionLog")
    field(session, "status", 1, F.TYPE_INT32)
    event = proto.message_type.add(name="Event")
    field(event, "wall_time", 1, F.TYPE_DOUBLE)
    field(event, "step", 2, F.TYPE_INT64)
    field(event, "file_version", 3, F.TYPE_STRING)
    field(event, "summary", 5, F.TYPE_MESSAGE, type_name=".tensorboard.Summary")
    field(event, "session_log", 7, F.TYPE_MESSAGE, type_name=".tensorboard.SessionLog")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    descriptor = pool.FindMessageTypeByName("tensorboard.Event")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def events(directory, Event):
    files = [f for f in os.listdir(directory) if f.startswith("events.out.tfevents.")]
    assert len(files) == 1, files
    with open(os.path.join(directory, files[0]), "rb") as f:
        blob = f.read()
    out, at = [], 0
    while at < len(blob):
        (n,) = struct.unpack_from("<Q", blob, at)
        assert struct.unpack_from("<I", blob, at + 8)[0] == masked(blob[at:at + 8]), "length CRC"
        data = blob[at + 12:at + 12 + n]
        assert struct.unpack_from("<I", blob, at + 12 + n)[0] == masked(data), "data CRC"
        at += 16 + n
        e = Event()
        e.ParseFromString(data)
        assert e.SerializeToString() == data, "fields outside the Event message"
        out.append(e)
    assert out[0].file_version == "brain.Event:2", out[0]
    return out


def scalars(evs):
    out = {}
    for e in evs:
        if e.HasField("summary"):
            assert len(e.summary.value) == 1
            v = e.summary.value[0]
            out.setdefault(v.tag, []).append((e.step, v.simple_value))
    return out


def as_float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def main():
    root = sys.argv[1]
    history = {}
    with open(os.path.join(root, "history.txt")) as f:
        for line in f:
            name, epoch, value = line.split()
            history.setdefault(name, []).append((int(epoch), as_float32(float(value))))
    Event = event_class()
    train = scalars(events(os.path.join(root, "logs", "train"), Event))
    validation = scalars(events(os.path.join(root, "logs", "validation"), Event))
    count = 0
    for name, values in history.items():
        where, tag = (validation, name[4:]) if name.startswith("val_") else (train, name)
        assert where["epoch_" + tag] == values, (name, where.get("epoch_" + tag), values)
        count += len(values)
    assert [v for _, v in train["epoch_learning_rate"]] == [as_float32(1e-3)] * 3
    batches = train["batch_loss"]
    assert [s for s, _ in batches] == [10, 20, 30, 40, 50, 60], batches
    assert all(0 < v < 10 for _, v in batches), batches
    print("tensorboard: %d epoch scalars equal to the history, %d batch losses, tags %s"
          % (count, len(batches), ", ".join(sorted(train) + ["validation/" + t
                                                              for t in sorted(validation)])))


if __name__ == "__main__":
    main()
